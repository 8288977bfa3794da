"""Time Newsboard's article page in-process, the way the peer harness times xtd's.

    python bench/render.py 100 1000 5000 --json out.json [--runs 15] [--warmup 2]
        [--modes full default] [--caches off on] [--label NAME]

For each N, /articles/article-N/ as an anonymous reader through
django.test.Client with DEBUG off, in two modes:

  full     settings overridden so that the whole discussion is on the page
           (every thread, every comment of a thread, every depth), like xtd's
           page, which has no pagination: all N comments must be rendered;
  default  the page as the site serves it (50 threads a page, 100 comments
           of a thread, 6 levels);

each uncached (cache off: Django's DummyCache, so every request renders the
page from the database, as xtd does) and cached (cache on: the site's own
cache settings, emptied before the target's warm-ups, which fill it).

Per target: queries of one request after the warm-ups (CaptureQueriesContext;
"cold" also for the process's very first request), the median, min and max of
`runs` timed GETs after `warmup` GETs (not captured), the response bytes and
the number of comments in the HTML (data-comment-id attributes).
"""

import argparse
import itertools
import json
import statistics
import sys
import time

from common import setup_django

setup_django()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

NO_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
EVERYTHING = {
    "NEWSBOARD_THREADS_PER_PAGE": 1_000_000,
    "NEWSBOARD_COMMENTS_PER_THREAD": 1_000_000,
    "NEWSBOARD_DISPLAY_DEPTH": 1_000,
}
COMMENT_MARK = b' data-comment-id="'


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="+", type=int)
    parser.add_argument("--modes", nargs="+", default=["full", "default"])
    parser.add_argument("--caches", nargs="+", default=["off", "on"])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument(
        "--sql-runs",
        type=int,
        default=0,
        help="after the timed GETs, this many captured ones: the median of their SQL time",
    )
    parser.add_argument("--label", default="")
    parser.add_argument("--json", dest="json_out", required=True)
    args = parser.parse_args()

    client = Client()
    results = []
    first = True
    for n in args.sizes:
        for mode, cached in itertools.product(args.modes, args.caches):
            overrides = dict(EVERYTHING if mode == "full" else {})
            if cached == "off":
                overrides["CACHES"] = NO_CACHE
            with override_settings(**overrides):
                cache.clear()
                row = measure(client, n, mode, args.runs, args.warmup, cold=first)
                if args.sql_runs:
                    row["sql_ms"] = sql_time(client, n, args.sql_runs)
            first = False
            row.update(label=args.label, cache=cached)
            results.append(row)
            print(
                f"    {connection.vendor:10s} {mode:7s} cache {cached:3s} N={n:5d}"
                f" queries={row['queries']:2d}"
                f" bytes={row['bytes']:9,d} comments={row['comments']:5d}"
                f" median={row['median_ms']:8.2f} ms min={row['min_ms']:8.2f}"
                f" max={row['max_ms']:8.2f}",
                flush=True,
            )
    with open(args.json_out, "w") as out:
        json.dump({"db": connection.vendor, "results": results}, out, indent=1)


def measure(client, n, mode, runs, warmup, *, cold):
    url = f"/articles/article-{n}/"
    cold_queries = None
    if cold:
        with CaptureQueriesContext(connection) as queries:
            check(client.get(url), url)
        cold_queries = len(queries)
        warmup -= 1
    for _ in range(max(warmup, 0)):
        check(client.get(url), url)
    with CaptureQueriesContext(connection) as queries:
        response = check(client.get(url), url)
    query_count = len(queries)  # now: the next request empties the connection's log
    shown = response.content.count(COMMENT_MARK)
    if mode == "full" and shown != n:
        raise SystemExit(f"{url}: {shown} comments in the full page, expected {n}")
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        check(client.get(url), url)
        times.append(time.perf_counter() - started)
    return {
        "db": connection.vendor,
        "n": n,
        "mode": mode,
        "queries": query_count,
        "cold_queries": cold_queries,
        "bytes": len(response.content),
        "comments": shown,
        "median_ms": round(statistics.median(times) * 1000, 2),
        "min_ms": round(min(times) * 1000, 2),
        "max_ms": round(max(times) * 1000, 2),
        "runs": runs,
        "times_ms": [round(t * 1000, 2) for t in times],
    }


def sql_time(client, n, runs):
    """The median time per request spent executing SQL."""
    url = f"/articles/article-{n}/"
    return round(statistics.median(timed_get(client, url)[1] for _ in range(runs)) * 1000, 2)


def timed_get(client, url):
    """(seconds for the GET, seconds of it spent executing SQL: an execute wrapper's clock)."""
    spent = []

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent.append(time.perf_counter() - started)

    with connection.execute_wrapper(timed):
        started = time.perf_counter()
        check(client.get(url), url)
        page = time.perf_counter() - started
    return page, sum(spent)


def check(response, url):
    if response.status_code != 200:
        raise SystemExit(f"{url}: HTTP {response.status_code}")
    return response


if __name__ == "__main__":
    sys.exit(main())
