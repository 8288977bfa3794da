"""How importing a Disqus export scales: time and memory at 10,000 and 100,000 posts.

For each size, writes a deterministic Disqus export to a temp dir (one thread
per 100 posts, replies nested up to 8 levels, posts of all threads
interleaved in time order, one reply in 20 listed before the post it answers),
and imports it with `manage.py import_disqus` into a fresh SQLite database in
the same dir, then imports it again (nothing new: the idempotent path). Each
import runs in a process of its own, so the peak resident memory
(getrusage's maxrss) is the import's; "growth" is that peak minus the same
process's peak just before the import (Django loaded, database migrated,
articles created). CPU is user + system time of the import: on a shared
machine it says more than the wall-clock time.

    .venv/bin/python bench/import_disqus.py                 # 10,000 and 100,000 posts
    .venv/bin/python bench/import_disqus.py 1000 300000     # other sizes
"""

import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
POSTS_PER_THREAD = 100
MAX_DEPTH = 7  # top-level is depth 0
SIZES = (10_000, 100_000)
# fmt: off
WORDS = [
    "the", "council", "bridge", "river", "vote", "budget", "night", "train", "sleeper",
    "harbour", "festival", "tram", "ferry", "school", "library", "market", "rent", "housing",
    "weather", "flood", "season", "museum", "really", "think", "agree", "disagree", "because",
    "however", "although", "quite", "simply", "never",
]
# fmt: on
NAMES = ["Zoë Ångström", "Łukasz Żółć", "李小龍", "Ana", "Tom", "Inès", "Mia", "Oğuz", "Sam"]


def write_export(path, posts, seed=1):
    """A Disqus export of `posts` posts; the same arguments always write the same file."""
    rng = random.Random(seed)
    threads = max(1, posts // POSTS_PER_THREAD)
    recent = [[] for _thread in range(threads)]  # per thread: last (post id, depth)
    with open(path, "w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="utf-8"?>\n'
            '<disqus xmlns="http://disqus.com" '
            'xmlns:dsq="http://disqus.com/disqus-internals">\n'
        )
        for thread in range(threads):
            out.write(
                f'<thread dsq:id="{10_000_000 + thread}"><id>bench-{thread}</id>'
                f"<link>https://old.example.com/articles/bench-{thread}/</link>"
                f"<title>Bench story {thread}</title>"
                f"<createdAt>2019-01-01T00:00:00Z</createdAt></thread>\n"
            )
        held = None  # a post written after the reply that follows it
        for number in range(posts):
            thread = rng.randrange(threads)
            parent, depth = None, 0
            if recent[thread] and rng.random() < 0.7:
                parent, parent_depth = rng.choice(recent[thread][-20:])
                if parent_depth < MAX_DEPTH:
                    depth = parent_depth + 1
                else:
                    parent = None
            post_id = 20_000_000 + number
            recent[thread].append((post_id, depth))
            del recent[thread][:-20]
            text = _post(rng, post_id, thread, parent, number)
            if held is not None:
                out.write(text + held)
                held = None
            elif rng.random() < 0.05:
                held = text
            else:
                out.write(text)
        out.write((held or "") + "</disqus>\n")
    return threads


def _post(rng, post_id, thread, parent, number):
    paragraphs = []
    for _paragraph in range(rng.randint(1, 3)):
        words = [rng.choice(WORDS) for _word in range(rng.randint(8, 30))]
        if rng.random() < 0.3:
            words[2] = f"<b>{words[2]}</b>"
        if rng.random() < 0.2:
            words[-1] = f'<a href="https://example.org/{number}?a=1&amp;b=2">{words[-1]}</a>'
        paragraphs.append(f"<p>{' '.join(words).capitalize()} &amp; more.</p>")
    seconds = number * 7
    moment = f"2019-{1 + seconds // 2_600_000 % 12:02d}-{1 + seconds // 86_400 % 28:02d}T"
    moment += f"{seconds // 3600 % 24:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}Z"
    name = rng.choice(NAMES)
    parent_element = f'<parent dsq:id="{parent}"/>' if parent else ""
    return (
        f'<post dsq:id="{post_id}"><id/>'
        f"<message><![CDATA[{''.join(paragraphs)}]]></message>"
        f"<createdAt>{moment}</createdAt><isDeleted>false</isDeleted>"
        f"<isSpam>{'true' if rng.random() < 0.01 else 'false'}</isSpam>"
        f"<author><email>reader{rng.randrange(5000)}@example.net</email>"
        f"<name>{escape(name)}</name><isAnonymous>true</isAnonymous></author>"
        f'<thread dsq:id="{10_000_000 + thread}"/>{parent_element}</post>\n'
    )


def child(export, threads):
    """In a fresh process: migrate if needed, import once, print the figures as JSON."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from articles.models import Article
    from comments.models import Comment

    call_command("migrate", verbosity=0)
    if not Article.objects.exists():
        Article.objects.bulk_create(
            Article(headline=f"Bench story {n}", slug=f"bench-{n}", body="Bench.")
            for n in range(threads)
        )
    before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    call_command("import_disqus", export, verbosity=0)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    print(
        json.dumps(
            {
                "seconds": seconds,
                "cpu": cpu,
                "before_kb": before.ru_maxrss,
                "peak_kb": after.ru_maxrss,
                "comments": Comment.objects.count(),
            }
        )
    )


def measure(export, threads, database):
    result = subprocess.run(
        [sys.executable, __file__, "--child", str(export), str(threads)],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "DATABASE_URL": f"sqlite:///{database}",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        sys.exit(result.stderr)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main(sizes):
    workdir = Path(tempfile.mkdtemp(prefix="newsboard-bench-import-"))
    print(f"Disqus import into SQLite, in {workdir}")
    header = f"{'posts':>8} {'file':>8} {'run':<6} {'wall':>8} {'CPU':>8} {'CPU/post':>9} "
    print(header + f"{'peak RSS':>9} {'growth':>8} {'comments':>9}")
    for size in sizes:
        export = workdir / f"disqus-{size}.xml"
        threads = write_export(export, size)
        megabytes = export.stat().st_size / 1e6
        database = workdir / f"bench-{size}.sqlite3"
        for run in ("first", "again"):
            figures = measure(export, threads, database)
            growth = (figures["peak_kb"] - figures["before_kb"]) / 1024
            print(
                f"{size:>8,} {megabytes:>6.1f}MB {run:<6} {figures['seconds']:>7.1f}s "
                f"{figures['cpu']:>7.1f}s {figures['cpu'] / size * 1e3:>7.2f}ms "
                f"{figures['peak_kb'] / 1024:>7.0f}MB {growth:>6.0f}MB {figures['comments']:>9,}"
            )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2], int(sys.argv[3]))
    else:
        main([int(size) for size in sys.argv[1:]] or SIZES)
