"""Importing comments from another system: the part every file format shares.

A reader (disqus.py, wordpress.py, jsonfile.py) turns a file into Thread and
Post records and can do so more than once. The Importer reads the file a
first time and keeps only the shape of the discussions, in compact arrays
(no comment text): which post replies to which, on which thread, and a
fingerprint of each. It then matches threads to articles, recognises posts
imported before, and decides every post's fate: imported, moved to the top
level because the comment it replies to cannot be imported, or skipped, with
the reason. Writing reads the file a second time, inside one transaction,
and inserts the new comments in batches with ids reserved beforehand, so
every row is written once with its final parent and thread, whatever order
the file lists posts in.

Idempotency: a post counts as already imported when a comment on the same
article has the same creation time, author (account, else guest email, else
guest name) and text. The comments table has no column for a post's id in
the other system, so this fingerprint stands in for one.
"""

import hashlib
import re
from array import array
from bisect import bisect_left
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import islice, pairwise
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, reset_queries, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from articles.models import Article
from comments import database, moderation, rules
from comments.models import Comment, ModerationAction
from newsboard.caches import process_cache
from newsboard.markup import render_comment

BATCH_SIZE = 500
PROGRESS_EVERY = 1000
MAX_EXAMPLES = 1000  # posts named per reason in the summary
ANONYMOUS = "Anonymous"
SLUG_LENGTH = Article._meta.get_field("slug").max_length
HEADLINE_LENGTH = Article._meta.get_field("headline").max_length
NAME_LENGTH = Comment._meta.get_field("guest_name").max_length
EMAIL_LENGTH = Comment._meta.get_field("guest_email").max_length

# What happens to a post; kept in a bytearray, one byte per post.
PENDING, NEW, MOVED, EXISTING, SKIPPED = range(5)
# In place of a parent's ordinal: a top-level post's, and one not in the file.
NONE = -1
MISSING = -2


class BadExport(Exception):
    """The file cannot be imported; the message names the place in it."""


@dataclass(slots=True)
class Thread:
    """A discussion in the file, to be matched with an article."""

    key: str
    slugs: tuple  # slugs it may match, best first
    new_slug: str  # the slug of a draft made for it (--create-missing); one of slugs
    headline: str
    published_at: datetime | None
    label: str  # how a person recognises it: its address or title


@dataclass(slots=True)
class Post:
    """A comment in the file, with its author already turned into our fields."""

    key: str
    thread_key: str
    parent_key: str | None
    created_at: datetime
    body: str
    status: str = Comment.Status.APPROVED
    guest_name: str = ""
    guest_email: str = ""
    user_id: int | None = None
    author_erased: bool = False
    edited_at: datetime | None = None
    note: str = ""  # its status in the other system, for the moderation log
    skip: str = ""  # why the reader will not import it, e.g. a pingback

    def fingerprint(self):
        return fingerprint(
            self.created_at,
            author_key(self.user_id, self.guest_email, self.guest_name),
            self.body,
        )


def author_key(user_id, guest_email, guest_name):
    if user_id:
        return f"#{user_id}"
    return guest_email.lower() or guest_name


def fingerprint(created_at, author, body):
    """64 bits standing for (time, author, text): collisions are negligible at any size."""
    data = f"{created_at.astimezone(UTC).isoformat()}\x1f{author}\x1f{body}"
    digest = hashlib.blake2b(data.encode(errors="surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, signed=True)


def guest_author(name, email, *, fallback=""):
    """(guest_name, guest_email) as we store them: a name always, an email only when valid."""
    name = " ".join(name.split())[:NAME_LENGTH] or fallback[:NAME_LENGTH] or ANONYMOUS
    return name, _valid_email(email.strip().lower())


@process_cache(maxsize=4096)  # the same commenters come back again and again
def _valid_email(email):
    try:
        validate_email(email)
    except ValidationError:
        return ""
    return email if len(email) <= EMAIL_LENGTH else ""


ARTICLE_PATH = re.compile(r"/articles/([^/]+)/?$")


def thread_slugs(link, *, names=(), preferred="", title="", fallback):
    """(the slugs a thread may match, best first; the slug a new draft for it gets).

    In order: the slug in an /articles/<slug>/ address, the other system's
    names for the page (a Disqus identifier, a WordPress post name), and the
    address's last segment. A new draft's slug comes from the preferred name,
    else the address, else the title, else the fallback; it is a candidate too,
    so a second import finds the draft the first one made.
    """
    path = unquote(urlsplit(link).path) if link else ""
    found = ARTICLE_PATH.search(path)
    segments = [segment for segment in path.split("/") if segment]
    segment = segments[-1] if segments else ""
    candidates = [found[1] if found else "", *names, segment]
    stem = re.sub(r"\.(html?|php|aspx?)$", "", segment)
    slugs = (slugify(unquote(text))[:SLUG_LENGTH].strip("-") for text in (preferred, stem, title))
    new_slug = next((slug for slug in slugs if slug), fallback)
    return tuple(dict.fromkeys(slug for slug in (*candidates, new_slug) if slug)), new_slug


def parse_moment(value, *, where):
    """An aware datetime from an ISO 8601 or "YYYY-MM-DD HH:MM:SS" value; naive ones are UTC."""
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise BadExport(f"{where}: “{value}” is not a date and time.") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment


@dataclass
class Reason:
    """Why a post is skipped, or imported as a top-level comment."""

    text: str
    problem: bool = False  # the file itself is inconsistent: --strict stops on these


THREAD_NOT_IN_FILE = Reason("its thread is not in the file", problem=True)
NO_ARTICLE = Reason("no article matches its thread")
CYCLE = Reason("its replies form a cycle", problem=True)
PARENT_NOT_IN_FILE = Reason("the comment it replies to is not in the file", problem=True)
PARENT_ELSEWHERE = Reason("the comment it replies to is on another article", problem=True)
PARENT_SKIPPED = Reason("the comment it replies to was skipped")


@dataclass
class Summary:
    """What an import did (or would do), for the command to print."""

    source: str
    threads_read: int = 0
    posts_read: int = 0
    threads_without_posts: int = 0
    threads_matched: int = 0
    threads_skipped: Counter = field(default_factory=Counter)
    articles_created: list = field(default_factory=list)
    imported: int = 0
    already_there: int = 0
    moved: Counter = field(default_factory=Counter)  # imported as top-level, by reason
    skipped: Counter = field(default_factory=Counter)
    examples: dict = field(default_factory=lambda: defaultdict(list))  # reason -> posts
    thread_details: list = field(default_factory=list)
    notes: list = field(default_factory=list)

    def lines(self, *, dry_run=False, verbose=False):
        will = "would be " if dry_run else ""
        yield f"Read {self.source}: {self.threads_read} thread(s), {self.posts_read} post(s)."
        skipped = sum(self.threads_skipped.values())
        yield (
            f"Threads with posts: {self.threads_matched} matched an article, "
            f"{skipped} skipped; {len(self.articles_created)} draft article(s) {will}created; "
            f"{self.threads_without_posts} thread(s) without posts ignored."
        )
        for reason, count in self.threads_skipped.items():
            yield f"  skipped, {reason}: {count}"
        if self.articles_created:
            yield f"  new drafts: {self._listing(self.articles_created, verbose)}"
        if verbose:
            yield from (f"  {line}" for line in self.thread_details)
        yield (
            f"Comments: {self.imported} {will}imported, {self.already_there} already there, "
            f"{sum(self.skipped.values())} skipped."
        )
        for label, counter in (
            (f"{will}imported as top-level comments", self.moved),
            ("skipped", self.skipped),
        ):
            for reason, count in counter.items():
                examples = self._listing(self.examples[reason], verbose, total=count)
                yield f"  {label}, {reason}: {count} ({examples})"
        yield from (f"  {note}" for note in self.notes)

    @staticmethod
    def _listing(items, verbose, total=None):
        total = len(items) if total is None else total
        shown = items if verbose else items[:5]
        more = total - len(shown)
        return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


class _Slot:
    """A thread of the file as the importer knows it: its record, posts and article."""

    __slots__ = ("key", "number", "record", "posts", "article_id", "new_slug", "skip")

    def __init__(self, key, number):
        self.key = key
        self.number = number
        self.record = None
        self.posts = 0
        self.article_id = None
        self.new_slug = ""
        self.skip = None

    @property
    def target(self):
        return self.article_id or self.new_slug


class SortedMap:
    """A read-only int -> int map in two sorted arrays, searched by bisection.

    16 bytes an entry, where a dict of Python ints takes about 100: an import
    keeps one entry per post, and a file may hold millions.
    """

    def __init__(self, keys, values):
        order = sorted(range(len(keys)), key=keys.__getitem__)
        self.keys = array("q", (keys[position] for position in order))
        self.values = array("q", (values[position] for position in order))

    def get(self, key, default):
        position = bisect_left(self.keys, key)
        if position < len(self.keys) and self.keys[position] == key:
            return self.values[position]
        return default

    def duplicate(self):
        """A key that appears more than once, or None."""
        return next((key for key, after in pairwise(self.keys) if key == after), None)


class Importer:
    """Reads a file through a reader, plans the import, and writes it in one transaction.

    The reader provides `source` (a name for people), `records()` (Thread and
    Post records, posts always in the same order; called once to plan and once
    to write), `describe(key)` and `describe_thread(key)` (a post or thread as
    a person finds it in the file, e.g. "post 123") and `notes` (lines for the
    summary). Post keys are whole numbers, as in every format we read.

    keep_ids: the file's post keys are our comment ids and new comments keep
    them (a move to a fresh database keeps /comments/<id>/ addresses working).
    """

    def __init__(
        self, reader, *, create_missing=False, strict=False, keep_ids=False, progress=None
    ):
        self.reader = reader
        self.create_missing = create_missing
        self.strict = strict
        self.keep_ids = keep_ids
        self.progress = progress or (lambda phase, done, total: None)
        self.summary = Summary(source=reader.source)
        # One entry per post, by its position among the file's posts (its ordinal).
        self.keys = array("q")  # its id in the file
        self.parent = array("q")  # its parent's id, then its parent's ordinal (or NONE, MISSING)
        self.thread = array("q")  # its thread's slot number
        self.digest = array("q")  # its fingerprint
        self.fate = bytearray()
        self.reason = bytearray()  # index in self.reasons, when skipped or moved
        self.reasons = [None]
        self.reason_codes = {}  # reason text -> index in self.reasons
        self.slots = {}  # thread key -> _Slot
        self.slot_list = []

    def run(self, *, dry_run=False):
        self._scan()
        self._link_parents()
        self._match_threads()
        self._decide()
        self._summarize()
        if not dry_run and self.summary.imported:
            with transaction.atomic():
                self._create_articles()
                self._assign_ids()
                self._insert()
        return self.summary

    # Planning: the first read

    def _scan(self):
        for record in self._records("Reading the file"):
            if isinstance(record, Thread):
                slot = self._slot(record.key)
                if slot.record is not None:
                    raise BadExport(
                        f"{self.reader.describe_thread(record.key)} appears twice in the file."
                    )
                slot.record = record
                self.summary.threads_read += 1
                continue
            slot = self._slot(record.thread_key)
            slot.posts += 1
            self.keys.append(self._post_id(record.key, record.key))
            self.parent.append(
                self._post_id(record.parent_key, record.key) if record.parent_key else NONE
            )
            self.thread.append(slot.number)
            self.digest.append(record.fingerprint())
            self.fate.append(PENDING)
            self.reason.append(0)
            if record.skip:
                self._set(len(self.fate) - 1, SKIPPED, Reason(record.skip))
        self.summary.posts_read = len(self.keys)

    def _records(self, phase, total=None):
        done = 0
        for record in self.reader.records():
            yield record
            done += 1
            if done % PROGRESS_EVERY == 0:
                self.progress(phase, done, total)
        self.progress(phase, done, total)

    def _post_id(self, key, post_key):
        if not (key.isascii() and key.isdigit() and len(key) <= 18):
            raise BadExport(
                f"{self.reader.describe(post_key)}: “{key}” is not a post id (a whole number)."
            )
        return int(key)

    def _link_parents(self):
        """Turn each post's parent id into the parent's ordinal, or MISSING."""
        by_id = SortedMap(self.keys, range(len(self.keys)))
        duplicate = by_id.duplicate()
        if duplicate is not None:
            raise BadExport(f"{self.reader.describe(str(duplicate))} appears twice in the file.")
        for ordinal, parent_id in enumerate(self.parent):
            if parent_id != NONE:
                self.parent[ordinal] = by_id.get(parent_id, MISSING)

    def _slot(self, key):
        slot = self.slots.get(key)
        if slot is None:
            slot = self.slots[key] = _Slot(key, len(self.slot_list))
            self.slot_list.append(slot)
        return slot

    def _set(self, ordinal, fate, reason=None):
        self.fate[ordinal] = fate
        if reason is not None:
            if reason.text not in self.reason_codes:
                if len(self.reasons) > 250:
                    raise BadExport("The file gives too many different reasons to skip posts.")
                self.reason_codes[reason.text] = len(self.reasons)
                self.reasons.append(reason)
            self.reason[ordinal] = self.reason_codes[reason.text]

    def _match_threads(self):
        """Match each thread that has posts to an article, or plan a draft, or skip it."""
        wanted = [slot for slot in self.slot_list if slot.posts]
        self.summary.threads_without_posts = sum(
            1 for slot in self.slot_list if not slot.posts and slot.record
        )
        candidates = {slug for slot in wanted if slot.record for slug in slot.record.slugs}
        articles = {}
        for chunk in chunks(candidates):
            articles.update(Article.objects.filter(slug__in=chunk).values_list("slug", "pk"))
        for slot in wanted:
            record = slot.record
            if record is None:
                slot.skip = THREAD_NOT_IN_FILE
                self.summary.threads_skipped["not in the file (its posts name it)"] += 1
                outcome = "not in the file"
            elif matched := next((s for s in record.slugs if s in articles), None):
                slot.article_id = articles[matched]
                self.summary.threads_matched += 1
                outcome = f"matched /articles/{matched}/"
            elif self.create_missing:
                slot.new_slug = record.new_slug
                outcome = f"new draft /articles/{slot.new_slug}/"
            else:
                slot.skip = NO_ARTICLE
                self.summary.threads_skipped["no article matches (--create-missing makes one)"] += 1
                outcome = "no article matches"
            label = f" ({record.label})" if record and record.label else ""
            self.summary.thread_details.append(
                f"{self.reader.describe_thread(slot.key)}{label}: {outcome}"
            )

    def _decide(self):
        """Give every post in the file its fate: new, moved to the top level, there, skipped."""
        self._find_existing()
        on_path = bytearray(len(self.fate))
        for start in range(len(self.fate)):
            if self.fate[start] != PENDING:
                continue
            # Walk up the replies until a post whose fate is known, a top-level post,
            # a parent missing from the file, or a post already on this walk: a cycle.
            path = []
            ordinal = start
            while self.fate[ordinal] == PENDING:
                if on_path[ordinal]:
                    for member in path[path.index(ordinal) :]:
                        self._set(member, SKIPPED, CYCLE)
                    break
                on_path[ordinal] = 1
                path.append(ordinal)
                if self.parent[ordinal] < 0:
                    break
                ordinal = self.parent[ordinal]
            # Then decide from the top down, so each parent's fate is known first.
            for ordinal in reversed(path):
                if self.fate[ordinal] == PENDING:
                    self._decide_one(ordinal)

    def _decide_one(self, ordinal):
        slot = self.slot_list[self.thread[ordinal]]
        parent = self.parent[ordinal]
        if parent == NONE:
            self._set(ordinal, NEW)
        elif parent == MISSING:
            self._set(ordinal, MOVED, PARENT_NOT_IN_FILE)
        elif self.slot_list[self.thread[parent]].target != slot.target:
            self._set(ordinal, MOVED, PARENT_ELSEWHERE)
        elif self.fate[parent] == SKIPPED:
            self._set(ordinal, MOVED, PARENT_SKIPPED)
        else:
            self._set(ordinal, NEW)

    def _find_existing(self):
        """Skip posts of skipped threads; recognise posts imported before by fingerprint.

        The id of each comment a post was imported as goes into self.pk, which
        later receives the new comments' ids too.
        """
        self.pk = array("q", bytes(8 * len(self.fate)))
        article_ids = {slot.article_id for slot in self.slot_list if slot.article_id}
        fingerprints, pks = array("q"), array("q")
        for chunk in chunks(article_ids):
            rows = Comment.objects.filter(article_id__in=chunk).values_list(
                "pk", "article_id", "created_at", "user_id", "guest_email", "guest_name", "body"
            )
            for pk, article_id, created_at, user_id, email, name, body in rows.iterator(
                chunk_size=BATCH_SIZE
            ):
                digest = fingerprint(created_at, author_key(user_id, email, name), body)
                fingerprints.append(_on_article(article_id, digest))
                pks.append(pk)
        known = SortedMap(fingerprints, pks)
        del fingerprints, pks
        for ordinal in range(len(self.fate)):
            if self.fate[ordinal] != PENDING:
                continue
            slot = self.slot_list[self.thread[ordinal]]
            if slot.skip:
                self._set(ordinal, SKIPPED, slot.skip)
            elif slot.article_id and (
                pk := known.get(_on_article(slot.article_id, self.digest[ordinal]), 0)
            ):
                self._set(ordinal, EXISTING)
                self.pk[ordinal] = pk

    def _summarize(self):
        summary = self.summary
        counts = Counter(self.fate)
        summary.imported = counts[NEW] + counts[MOVED]
        summary.already_there = counts[EXISTING]
        self.slots_with_new_posts = {
            self.thread[ordinal] for ordinal in range(len(self.fate)) if self._is_new(ordinal)
        }
        summary.articles_created = list(
            dict.fromkeys(
                slot.new_slug
                for slot in self.slot_list
                if slot.new_slug and slot.number in self.slots_with_new_posts
            )
        )
        problems = []
        for ordinal, fate in enumerate(self.fate):
            if fate not in (SKIPPED, MOVED):
                continue
            reason = self.reasons[self.reason[ordinal]]
            post = self.reader.describe(str(self.keys[ordinal]))
            (summary.skipped if fate == SKIPPED else summary.moved)[reason.text] += 1
            if len(summary.examples[reason.text]) < MAX_EXAMPLES:
                summary.examples[reason.text].append(post)
            if reason.problem:
                problems.append(f"{post}: {reason.text}")
        summary.notes.extend(self.reader.notes)
        if self.strict and problems:
            listed = "; ".join(problems[:10]) + (" …" if len(problems) > 10 else "")
            raise BadExport(
                f"{len(problems)} post(s) cannot be imported as they are (--strict): {listed}."
            )

    # Writing: the second read, in one transaction

    def _create_articles(self):
        created = {}
        for slot in self.slot_list:
            if not slot.new_slug or slot.number not in self.slots_with_new_posts:
                continue
            if slot.new_slug not in created:
                record = slot.record
                created[slot.new_slug] = Article.objects.create(
                    slug=slot.new_slug,
                    headline=(record.headline or slot.new_slug)[:HEADLINE_LENGTH],
                    body="",
                    status=Article.Status.DRAFT,
                    published_at=record.published_at or timezone.now(),
                ).pk
            slot.article_id = created[slot.new_slug]

    def _is_new(self, ordinal):
        return self.fate[ordinal] in (NEW, MOVED)

    def _assign_ids(self):
        """Final ids for new comments, and the id of each one's top-level comment."""
        size = len(self.fate)
        if self.keep_ids:
            self._take_ids_from_file()
        else:
            ids = iter(self._reserve_ids(self.summary.imported))
            for ordinal in range(size):
                if self._is_new(ordinal):
                    self.pk[ordinal] = next(ids)
        self.root = array("q", bytes(8 * size))
        # New replies to comments imported before join those comments' threads.
        answered = {
            self.pk[self.parent[ordinal]]
            for ordinal in range(size)
            if self.fate[ordinal] == NEW
            and self.parent[ordinal] >= 0
            and self.fate[self.parent[ordinal]] == EXISTING
        }
        threads = {}
        for chunk in chunks(answered):
            threads.update(Comment.objects.filter(pk__in=chunk).values_list("pk", "thread_id"))
        for ordinal in range(size):
            if not self._is_new(ordinal):
                continue
            chain = []
            while not self.root[ordinal]:
                if self.fate[ordinal] == EXISTING:
                    self.root[ordinal] = threads[self.pk[ordinal]] or self.pk[ordinal]
                    break
                chain.append(ordinal)
                if self.fate[ordinal] == MOVED or self.parent[ordinal] == NONE:
                    self.root[ordinal] = self.pk[ordinal]
                    break
                ordinal = self.parent[ordinal]
            for member in chain:
                self.root[member] = self.root[ordinal]

    def _reserve_ids(self, count):
        if connection.vendor == "postgresql":
            return database.reserve_comment_ids(count)
        # SQLite: the transaction holds the write lock (IMMEDIATE), so nobody else inserts.
        highest = Comment.objects.aggregate(highest=Max("pk"))["highest"] or 0
        if connection.vendor == "sqlite":
            highest = max(highest, database.highest_comment_id_issued())
        return range(highest + 1, highest + 1 + count)

    def _take_ids_from_file(self):
        for ordinal in range(len(self.fate)):
            if self._is_new(ordinal):
                self.pk[ordinal] = self.keys[ordinal]
        wanted = (self.keys[o] for o in range(len(self.fate)) if self._is_new(o))
        taken = []
        for chunk in chunks(wanted):
            taken.extend(Comment.objects.filter(pk__in=chunk).values_list("pk", flat=True))
        if taken:
            listed = ", ".join(str(pk) for pk in sorted(taken)[:10])
            raise BadExport(
                f"--keep-ids: {len(taken)} comment id(s) of the file are already used by other "
                f"comments here ({listed}). Import without --keep-ids, or into a fresh database."
            )

    def _insert(self):
        now = timezone.now()
        comments, actions = [], []
        touched_articles = set()
        inserted = read = 0
        records = self.summary.threads_read + self.summary.posts_read
        posts = (r for r in self._records("Importing", records) if not isinstance(r, Thread))
        # The file is read in the same order as before: the n-th post is ordinal n.
        for ordinal, record in enumerate(posts):
            if (
                ordinal >= len(self.fate)
                or self._post_id(record.key, record.key) != self.keys[ordinal]
                or record.fingerprint() != self.digest[ordinal]
            ):
                raise BadExport(
                    f"{self.reader.describe(record.key)} changed while the file was imported."
                )
            read += 1
            fate = self.fate[ordinal]
            if fate not in (NEW, MOVED):
                continue
            slot = self.slot_list[self.thread[ordinal]]
            parent = self.parent[ordinal]
            pk = self.pk[ordinal]
            comments.append(
                Comment(
                    pk=pk,
                    article_id=slot.article_id,
                    parent_id=self.pk[parent] if fate == NEW and parent >= 0 else None,
                    thread_id=self.root[ordinal],
                    user_id=record.user_id,
                    guest_name=record.guest_name,
                    guest_email=record.guest_email,
                    author_erased=record.author_erased,
                    body=record.body,
                    body_html=render_comment(record.body),
                    status=record.status,
                    held_for=[rules.hold("imported", record.note)]
                    if record.status == Comment.Status.PENDING
                    else [],
                    created_at=record.created_at,
                    edited_at=record.edited_at,
                )
            )
            if record.status != Comment.Status.APPROVED:
                reason = f"Imported from {self.reader.source}"
                actions.append(
                    ModerationAction(
                        comment_id=pk,
                        to_status=record.status,
                        reason=f"{reason}: {record.note}" if record.note else reason,
                        created_at=now,
                    )
                )
            touched_articles.add(slot.article_id)
            if len(comments) >= BATCH_SIZE:
                inserted += self._flush(comments, actions)
        inserted += self._flush(comments, actions)
        if inserted != self.summary.imported or read != len(self.fate):
            raise BadExport("The file changed while it was imported.")
        if self.keep_ids and connection.vendor == "postgresql":
            database.reset_comment_sequence()
        for chunk in chunks(touched_articles):
            # Every comment of these articles: exact, and no list of parents to keep.
            moderation.recount(
                article_ids=chunk, parent_ids=Comment.objects.filter(article__in=chunk).values("pk")
            )

    def _flush(self, comments, actions):
        Comment.objects.bulk_create(comments)
        ModerationAction.objects.bulk_create(actions)
        count = len(comments)
        comments.clear()
        actions.clear()
        # With DEBUG on, Django keeps every query's SQL: forget them, or memory grows.
        reset_queries()
        return count


def _on_article(article_id, digest):
    """One 64-bit key for a fingerprint on an article."""
    data = f"{article_id}:{digest}".encode()
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), signed=True)


def chunks(items, size=BATCH_SIZE):
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk
