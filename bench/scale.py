"""Scale: one article page with a small and with a large comments table, timed in turns.

    DATABASE_URL=SMALL python bench/scale.py LARGE_DATABASE_NAME --json out.json
        [--small-label 10000] [--large-label 1000000] [--runs 100] [--warmup 5]

/articles/article-1000/, the default page, uncached (Django's DummyCache), as
an anonymous reader through django.test.Client with DEBUG off, from two
databases on the same server: DATABASE_URL's and LARGE_DATABASE_NAME. One
process holds a connection to each and the GETs alternate between them, one
each in turn, so that the machine's drift (it is shared: its speed wanders by
a fifth within seconds) hits both alike. Per database: every timed GET's
time, and within it the time spent executing SQL (an execute wrapper's
clock), and the queries of one request.
"""

import argparse
import json
import statistics
import sys

from common import setup_django
from render import NO_CACHE, check, timed_get

setup_django()

from django.db import connection, connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

URL = "/articles/article-1000/"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("large_database")
    parser.add_argument("--small-label", default="small")
    parser.add_argument("--large-label", default="large")
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--json", dest="json_out", required=True)
    args = parser.parse_args()

    small = connections["default"]
    large = type(small)({**small.settings_dict, "NAME": args.large_database}, "default")
    databases = {args.small_label: small, args.large_label: large}
    client = Client()
    results = {label: {"times_ms": [], "sql_ms": []} for label in databases}
    with override_settings(CACHES=NO_CACHE):
        for label, database in databases.items():
            connections["default"] = database
            for _ in range(args.warmup):
                check(client.get(URL), URL)
            with CaptureQueriesContext(connection) as queries:
                check(client.get(URL), URL)
            results[label]["queries"] = len(queries)
        for _ in range(args.runs):
            for label, database in databases.items():
                connections["default"] = database
                page, sql = timed_get(client, URL)
                results[label]["times_ms"].append(round(page * 1000, 2))
                results[label]["sql_ms"].append(round(sql * 1000, 2))
    for label, result in results.items():
        print(
            f"    {label} comments: page median {statistics.median(result['times_ms']):.2f} ms,"
            f" SQL median {statistics.median(result['sql_ms']):.2f} ms,"
            f" {result['queries']} queries",
            flush=True,
        )
    with open(args.json_out, "w") as out:
        json.dump({"db": connection.vendor, "runs": args.runs, "results": results}, out, indent=1)


if __name__ == "__main__":
    sys.exit(main())
