"""Finding banned and suspect words and phrases in comments.

Text and phrases are folded the same way before they are compared: Unicode
compatibility forms (full-width letters, ligatures) to plain ones, case
folded, accents dropped, and invisible characters (zero-width spaces and
joiners, soft hyphens) removed, so "Ｓｐａｍ", "spám" and "sp\u200bam" all read
"spam". Both are then split into words, and a phrase matches a run of whole
words. Matching walks the comment's words once and looks each up in a dict,
so its cost does not grow with the length of the list.
"""

import re
import unicodedata

WORD = re.compile(r"\w+")
PREFIX_MARK = "*"


def fold(text):
    """The text reduced to what a reader sees: no case, accents or invisible characters."""
    text = unicodedata.normalize("NFKD", text).casefold()
    # Mn: accents and other combining marks; Cf: zero-width and other format characters.
    text = "".join(char for char in text if unicodedata.category(char) not in {"Mn", "Cf"})
    return unicodedata.normalize("NFKC", text)


def words(text):
    return WORD.findall(fold(text))


class PhraseMatcher:
    """Finds which of many phrases occur in a text, on word boundaries.

    A phrase ending in * matches any word that starts with its last word
    ("insult*" matches "insults"), so a list need not spell out every ending.
    """

    def __init__(self, phrases):
        # first word -> [(the rest of the words, is the last a prefix, phrase as written)]
        self._exact = {}
        self._prefixes = {}  # a one-word prefix phrase's word -> the phrase as written
        for phrase in phrases:
            prefix = phrase.rstrip().endswith(PREFIX_MARK)
            tokens = words(phrase)
            if not tokens:
                continue
            if prefix and len(tokens) == 1:
                self._prefixes[tokens[0]] = phrase
            else:
                entry = (tokens[1:], prefix, phrase)
                self._exact.setdefault(tokens[0], []).append(entry)
        self._prefix_lengths = sorted({len(word) for word in self._prefixes})

    def __bool__(self):
        return bool(self._exact or self._prefixes)

    def find(self, text):
        """The phrases (as written in the list) found in text, in order of first appearance."""
        tokens = words(text)
        found = {}
        for index, token in enumerate(tokens):
            for rest, prefix, phrase in self._exact.get(token, ()):
                if _continues(tokens, index + 1, rest, prefix):
                    found.setdefault(phrase, None)
            for length in self._prefix_lengths:
                if length > len(token):
                    break
                phrase = self._prefixes.get(token[:length])
                if phrase is not None:
                    found.setdefault(phrase, None)
        return list(found)


def _continues(tokens, start, rest, prefix):
    if start + len(rest) > len(tokens):
        return False
    for offset, expected in enumerate(rest):
        token = tokens[start + offset]
        last = offset == len(rest) - 1
        if not (token.startswith(expected) if prefix and last else token == expected):
            return False
    return True
