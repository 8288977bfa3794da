"""Deterministic demo material read from data/: sections, articles, readers' names, comments.

The text is original and fictional. All randomness goes through the ``rng`` argument of each
function (never the global ``random`` state, the clock or ``hash()``), so the same seed always
gives the same site. The ``demo_content`` management command turns this material into database
rows; this module knows nothing about Django.
"""

import tomllib
import unicodedata
from itertools import accumulate
from pathlib import Path
from random import Random

from newsboard.caches import process_cache

DATA = Path(__file__).resolve().parent / "data"


def _load(name: str) -> dict:
    with open(DATA / name, "rb") as file:
        return tomllib.load(file)


def _prose(text: str) -> str:
    """Markdown as an editor would type it, one line per paragraph or list item.

    The article files are wrapped to a readable width; wrapped lines are joined back
    unless they start a list item.
    """
    blocks = []
    for block in text.strip().split("\n\n"):
        lines: list[str] = []
        for line in block.splitlines():
            line = line.strip()
            if lines and not line.startswith("- "):
                lines[-1] += " " + line
            else:
                lines.append(line)
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _article(path: Path) -> dict:
    """An article file: TOML between two "+++" lines, then the body in Markdown."""
    _before, front_matter, body = path.read_text(encoding="utf-8").split("+++\n", 2)
    article = tomllib.loads(front_matter)
    article["palette"] = tuple(article["palette"])
    article["body"] = _prose(body)
    return article


SECTIONS: list[tuple[str, str]] = [
    (section["name"], section["slug"]) for section in _load("sections.toml")["sections"]
]
# In the order of their file names.
ARTICLES: list[dict] = [_article(path) for path in sorted((DATA / "articles").glob("*.md"))]


# --- Names -------------------------------------------------------------------------------------

_PEOPLE = _load("people.toml")
_NAME_GROUPS = tuple((tuple(g["first"]), tuple(g["last"])) for g in _PEOPLE["name_groups"])
_HANDLE_ADJECTIVES = tuple(_PEOPLE["handle_adjectives"])
_HANDLE_NOUNS = tuple(_PEOPLE["handle_nouns"])
_PLACES = tuple(_PEOPLE["places"])


def person_name(rng: Random) -> str:
    """A reader's name as typed into a form: usually "First Last", now and then a handle."""
    roll = rng.random()
    if roll < 0.1:
        adjective, noun = rng.choice(_HANDLE_ADJECTIVES), rng.choice(_HANDLE_NOUNS)
        style = rng.randrange(4)
        if style == 0:
            return f"{adjective}_{noun}"
        if style == 1:
            return f"{adjective.title()} {noun.title()}"
        if style == 2:
            return f"{adjective}{noun}{rng.randint(1, 99)}"
        return f"{noun.title()} in {rng.choice(_PLACES)}"
    firsts, lasts = rng.choice(_NAME_GROUPS)
    if roll > 0.88:
        lasts = rng.choice(_NAME_GROUPS)[1]
    return f"{rng.choice(firsts)} {rng.choice(lasts)}"


# Letters that Unicode does not decompose into an ASCII base letter plus accents.
_UNDECOMPOSABLE = str.maketrans(
    {"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "æ": "ae", "ß": "ss", "đ": "d", "ı": "i", "ð": "d"}
)


def username_for(name: str, rng: Random) -> str:
    """An ASCII username from ``name`` plus a number; Django's validator accepts it as it is."""
    folded = unicodedata.normalize("NFKD", name.translate(_UNDECOMPOSABLE))
    words = [
        "".join(char for char in word if char.isalnum() or char == "_")
        for word in folded.encode("ascii", "ignore").decode().lower().split()
    ]
    words = [word for word in words if word] or ["reader"]
    first, last = words[0][:20], "".join(words[1:])[:20]
    if last:
        joined = f"{first}.{last}", f"{first}_{last}", f"{first}{last}", f"{first[0]}{last}"
        base = rng.choice((*joined, f"{last}.{first[0]}", f"{first}{last[0]}"))
    else:
        base = first
    return f"{base}{rng.randint(2, 9999)}"


# --- Comments ----------------------------------------------------------------------------------

# fmt: off
# --- Comments ----------------------------------------------------------------------------------

_WORDS = {key: tuple(values) for key, values in _load("comments.toml").items()}
_REACTIONS = _WORDS["reactions"]
_REPLY_REACTIONS = _WORDS["reply_reactions"]
_REPLY_OPENERS = _WORDS["reply_openers"]
_OPENERS = _WORDS["openers"]
_ASIDES = _WORDS["asides"]
_CLOSERS = _WORDS["closers"]
_LONG_CLOSERS = _WORDS["long_closers"]
_LIST_LEADS = _WORDS["list_leads"]
_LIST_POINTS = _WORDS["list_points"]
_EMOJI = _WORDS["emoji"]
_TECHIE = _WORDS["techie"]
_FOLLOW_UPS = _WORDS["follow_ups"]
_URL_PATHS = _WORDS["url_paths"]
_STOPWORDS = frozenset(_WORDS["stopwords"])
_AGREE, _DISAGREE, _QUESTION, _ANECDOTE, _SCEPTIC = (
    _WORDS[tone] for tone in ("agree", "disagree", "question", "anecdote", "sceptic")
)

_SLOT_RANGES = {"years": (3, 30), "n": (2, 12), "pct": (4, 60)}
_SLOT_POOLS = {"place": _PLACES, **{key: _WORDS[key] for key in ("who", "job", "when", "month")}}
TONES = (
    # (sentences in comments.toml, weight in top-level comments, weight in replies)
    ("agree", 10, 8),
    ("disagree", 8, 4),
    ("reply_disagree", 0, 9),
    ("question", 9, 3),
    ("reply_question", 0, 6),
    ("anecdote", 9, 7),
    ("correction", 4, 0),
    ("reply_correction", 0, 3),
    ("joke", 6, 5),
    ("meta", 8, 0),
    ("sceptic", 6, 4),
    ("link", 3, 2),
)
_TONE_POOLS = tuple(_WORDS[tone] for tone, _top, _reply in TONES)
_TONE_WEIGHTS = (  # cumulative, for Random.choices: top-level comments, then replies
    tuple(accumulate(top for _tone, top, _reply in TONES)),
    tuple(accumulate(reply for _tone, _top, reply in TONES)),
)


@process_cache(maxsize=256)
def _headline_words(headline: str) -> tuple[str, ...]:
    """Words from a headline worth quoting in a comment: longer ones, no numbers or filler."""
    words = []
    for raw in headline.split()[1:]:  # the first word is capitalised whatever it is
        word = raw.strip(",.:;!?“”\"'‘’()—–").removesuffix("’s")
        if len(word) >= 5 and word.lower() not in _STOPWORDS and not any(map(str.isdigit, word)):
            words.append(word)
    return tuple(words) or ("this",)


class _Slots(dict):
    """Values for one comment's placeholders, drawn from the rng when first asked for.

    ``str.format_map`` asks for placeholders in order, so the draws stay deterministic. Words,
    places and people are kept, so a comment that mentions a place twice names the same place
    both times; numbers are drawn afresh, so "{years} years" is not the same in every sentence.
    """

    def __init__(self, rng: Random, headline: str):
        super().__init__()
        self.rng = rng
        self.headline = headline

    def __missing__(self, key: str) -> str:
        rng = self.rng
        if key in _SLOT_RANGES:
            return str(rng.randint(*_SLOT_RANGES[key]))
        if key == "word":
            value = rng.choice(_headline_words(self.headline))
        elif key == "url":
            value = f"https://{rng.choice(('example.org', 'example.com'))}/"
            value += rng.choice(_URL_PATHS)
        else:
            value = rng.choice(_SLOT_POOLS[key])
        self[key] = value
        return value

    def fill(self, template: str) -> str:
        return template.format_map(self) if "{" in template else template


def _sentences(rng: Random, pool: tuple[str, ...], count: int, slots: _Slots) -> list[str]:
    """``count`` different sentences: the first from the tone's pool, later ones mixed in."""
    chosen = [rng.choice(pool)]
    while len(chosen) < count:
        candidate = rng.choice(pool if rng.random() < 0.4 else _FOLLOW_UPS)
        if candidate not in chosen:
            chosen.append(candidate)
    return [slots.fill(sentence) for sentence in chosen]


def _quoted(parent_body: str) -> str:
    """The start of the parent comment as a reader pastes it: first sentence or ~80 characters.

    Returns "" when the parent has nothing worth quoting (a one-word reaction, a quote only).
    """
    for line in parent_body.split("\n"):
        line = line.strip()
        if line and not line.startswith((">", "- ")):
            break
    else:
        return ""
    text = line.replace("**", "").replace("*", "").replace("`", "")
    ends = [text.find(mark) for mark in (". ", "? ", "! ")]
    end = min((index for index in ends if index >= 0), default=-1)
    if 0 <= end < 80:
        fragment = text[: end + 1]
    elif len(text) <= 80:
        fragment = text
    else:
        cut = text.rfind(" ", 0, 80)
        fragment = text[: cut if cut > 0 else 80].rstrip(",;:—– ") + "…"
    return f"> {fragment}" if len(fragment) >= 12 else ""


def _long_comment(rng: Random, pool: tuple[str, ...], slots: _Slots) -> str:
    """Two to four paragraphs, sometimes with a list, as the reader who has a lot to say."""
    paragraphs = [" ".join(_sentences(rng, pool, rng.randint(2, 3), slots))]
    for _index in range(rng.randint(1, 3)):
        if rng.random() < 0.25:
            points = rng.sample(_LIST_POINTS, rng.randint(2, 4))
            items = "\n".join(f"- {slots.fill(point)}" for point in points)
            paragraphs.append(f"{rng.choice(_LIST_LEADS)}\n\n{items}")
        else:
            middle = rng.choice((_ANECDOTE, _AGREE, _DISAGREE, _QUESTION, _SCEPTIC, pool))
            paragraphs.append(" ".join(_sentences(rng, middle, rng.randint(1, 3), slots)))
    if rng.random() < 0.4:
        paragraphs.append(rng.choice(_LONG_CLOSERS))
    return "\n\n".join(paragraphs)


def _with_aside(rng: Random, text: str) -> str:
    """``text`` after a casual "Honestly," or "Tbh", its first letter lowered unless it is "I"."""
    if not (text[0] == "I" and text[1:2] in (" ", "’")):
        text = text[0].lower() + text[1:]
    return rng.choice(_ASIDES) + text


def comment_body(rng: Random, *, headline: str, depth: int, parent_body: str | None) -> str:
    """A reader's comment in Markdown, as typed: from a one-word reaction to a few paragraphs.

    Replies (``depth`` > 0) sometimes open by answering or quoting their parent. Cheap enough
    for thousands of calls: a handful of draws and string joins, no parsing.
    """
    reply = depth > 0 and bool(parent_body)
    roll = rng.random()
    if roll < 0.09:
        return rng.choice(_REPLY_REACTIONS if reply and roll < 0.045 else _REACTIONS)
    slots = _Slots(rng, headline)
    lead = ""
    if reply:
        style = rng.random()
        quote = _quoted(parent_body) if style < 0.2 else ""
        if quote:
            lead = quote + "\n\n"
        elif style < 0.5:
            lead = rng.choice(_REPLY_OPENERS) + " "
    elif rng.random() < 0.07:
        lead = rng.choice(_OPENERS) + " "
    pool = rng.choices(_TONE_POOLS, cum_weights=_TONE_WEIGHTS[reply])[0]
    if rng.random() < 0.12:
        text = _long_comment(rng, pool, slots)
    else:
        count = rng.choices((1, 2, 3), cum_weights=(45, 80, 100))[0]
        text = " ".join(_sentences(rng, pool, count, slots))
        extra = rng.random()
        if extra < 0.02:
            text += " " + slots.fill(rng.choice(_TECHIE))
        elif extra < 0.08:
            text += " " + rng.choice(_CLOSERS)
        elif extra < 0.16:
            text += " " + rng.choice(_EMOJI)
    if not lead and rng.random() < 0.15:
        text = _with_aside(rng, text)
    text = lead + text
    if rng.random() < 0.3:  # plenty of people type straight apostrophes
        text = text.replace("’", "'")
    return text
