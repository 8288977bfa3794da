"""Posting throughput: concurrent guests posting comments to Newsboard under gunicorn.

    python bench/posting.py --run-dir DIR [--clients 16] [--seconds 20]

Starts gunicorn through tests/system/servers.py (2 sync workers, DEBUG off,
settings from the environment, as bench/run.sh sets them, behind a reverse proxy
on 127.0.0.1 as documented: DJANGO_TRUSTED_PROXIES), then `clients` threads,
each with an address of its own in X-Forwarded-For, each GET the article page
/articles/bench-posting/ for the CSRF cookie and token and, until `seconds`
have passed, POST the comment form again and again (the cookies the first
post sets are kept, as a browser would, but for the message a browser reads
on the next page: see keep_cookies): every post from a new guest
(distinct name and email), every other one a reply to the thread that
client started last. Counts the comments the article gained in the database
and checks that they equal the 303 responses and that no response was a 5xx.
Writes DIR/posting.json.
"""

import argparse
import http.client
import json
import os
import re
import statistics
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

from common import setup_django

from tests.system.servers import serve

SLUG = "bench-posting"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
COMMENT_URL = re.compile(r"/comments/(\d+)/")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run-dir", required=True)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args()

    setup_django()
    from comments.models import Comment

    before = Comment.objects.filter(article__slug=SLUG).count()
    run_dir = Path(args.run_dir)
    # Behind the documented reverse proxy on 127.0.0.1: the clients' own addresses
    # (X-Forwarded-For) count for the per-address rate limit, as in production.
    environment = {**os.environ, "DJANGO_TRUSTED_PROXIES": "127.0.0.1"}
    options = ["--worker-class", "sync", "--timeout", "60", "--log-level", "warning",
               "--pid", str(run_dir / "gunicorn-posting.pid")]  # fmt: skip
    with serve(
        environment, log_path=run_dir / "gunicorn-posting.log", workers=2, options=options
    ) as server:
        results = run_clients(server.port, args.clients, args.seconds)
    gained = Comment.objects.filter(article__slug=SLUG).count() - before
    statuses = Counter(status for status, _latency in results["posts"])
    latencies = sorted(latency for _status, latency in results["posts"])
    posted = statuses.get(303, 0)
    summary = {
        "clients": args.clients,
        "seconds": round(results["duration"], 2),
        "posts": len(latencies),
        "statuses": {str(code): count for code, count in sorted(statuses.items())},
        "comments_per_s": round(posted / results["duration"], 1),
        "p50_ms": round(percentile(latencies, 50) * 1000, 1),
        "p99_ms": round(percentile(latencies, 99) * 1000, 1),
        "mean_ms": round(statistics.fmean(latencies) * 1000, 1) if latencies else 0,
        "rows_added": gained,
        "responses_303": posted,
        "server_errors": sum(n for code, n in statuses.items() if code >= 500),
        "connection_errors": statuses.get(-1, 0),
    }
    summary["rows_match"] = gained == posted
    with open(Path(args.run_dir) / "posting.json", "w") as out:
        json.dump(summary, out, indent=1)
    print(
        f"    posting: {summary['comments_per_s']} comments/s, p50 {summary['p50_ms']} ms,"
        f" p99 {summary['p99_ms']} ms, statuses {summary['statuses']},"
        f" rows added {gained} (303s: {posted})",
        flush=True,
    )


def request(port, method, path, body=None, cookies=None, client_address=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {}
    if client_address:  # as the reverse proxy in front of gunicorn would say
        headers["X-Forwarded-For"] = client_address
    if cookies:
        headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        return response.status, response.headers, data
    finally:
        connection.close()


def keep_cookies(cookies, headers):
    """Keep the cookies a browser would, except the "Your comment was posted." message: a
    browser follows the 303 to a page that shows it and so clears it, where the clients
    here post again at once, and their messages would pile up (past what fits in the
    cookie, into a session)."""
    for line in headers.get_all("Set-Cookie") or ():
        name, _, rest = line.partition("=")
        if name.strip() != "messages":
            cookies[name.strip()] = rest.split(";", 1)[0]


def run_clients(port, clients, seconds):
    posts = []
    lock = threading.Lock()
    ready = threading.Barrier(clients + 1, timeout=60)
    start = {}

    def client(number):
        cookies = {}
        address = f"198.51.100.{number + 1}"  # each client a reader of its own
        status, headers, page = request(port, "GET", f"/articles/{SLUG}/", client_address=address)
        keep_cookies(cookies, headers)
        token = TOKEN.search(page.decode())
        ready.wait()
        if status != 200 or token is None:
            raise SystemExit(f"client {number}: no form on the article page (HTTP {status})")
        thread = ""
        sequence = 0
        while time.perf_counter() < start["deadline"]:
            sequence += 1
            form = {
                "csrfmiddlewaretoken": token.group(1),
                "name": f"Guest {number}-{sequence}",
                "email": f"guest-{number}-{sequence}@example.org",
                "body": f"Comment {sequence} of client {number}: the tram line should run "
                f"past the station, and later than ten in the evening ({time.time_ns()}).",
                "parent": thread if sequence % 2 == 0 else "",
                "website": "",
            }
            began = time.perf_counter()
            try:
                status, headers, _body = request(
                    port,
                    "POST",
                    f"/articles/{SLUG}/comments/",
                    urlencode(form),
                    cookies,
                    client_address=address,
                )
            except OSError:
                status, headers = -1, None
            took = time.perf_counter() - began
            if headers is not None:
                keep_cookies(cookies, headers)
            if status == 303 and not form["parent"]:
                found = COMMENT_URL.search(headers.get("Location", ""))
                thread = found.group(1) if found else ""
            with lock:
                posts.append((status, took))

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    for thread in threads:
        thread.start()
    start["deadline"] = float("inf")
    ready.wait()
    began = time.perf_counter()
    start["deadline"] = began + seconds
    for thread in threads:
        thread.join()
    return {"posts": posts, "duration": time.perf_counter() - began}


def percentile(values, share):
    if not values:
        return 0.0
    return values[min(len(values) - 1, round(share / 100 * (len(values) - 1)))]


if __name__ == "__main__":
    sys.exit(main())
