"""The results table of one `make bench` run, with the targets, as Markdown.

    python bench/report.py RUN_DIR OUT.md

Reads the JSON files that bench/run.sh left in RUN_DIR (Newsboard's and the
peer's in-process renders, the gunicorn loads, the posting run, the scale
run, meta.json), prints the table and writes it to OUT.md. Every guard rail
(bench/README.md) is judged PASS or FAIL against its reference measured in the
same run, and listed again at the end; the exit status is 1 when one fails.
"""

import json
import statistics
import sys
from pathlib import Path

DBS = (("sqlite", "SQLite"), ("postgresql", "PostgreSQL"))

# The guard rails: each is judged against a reference measured in the same run.
FULL_THREAD_SPEEDUP = 4  # full-thread render, N = 1,000 and 5,000, as fast as xtd's
DEFAULT_PAGE_MS = 50  # the default page of a 5,000-comment article
CACHED_SHARE_OF_FLOOR = 0.25  # cached article page, req/s, of the Django floor's
UNCACHED_RPS_RATIO = 15  # uncached N = 1,000 article page, req/s, of xtd's
SCALE_RATIO = 1.2  # the page with 1,000,000 comments in the table, of that with 10,000
BYTES_PER_COMMENT = 1200  # HTML of the full thread, N = 1,000 and 5,000
POSTING_PER_S = 100  # comments/s, 16 clients
JUDGED_SIZES = (1000, 5000)


def main():
    run, out = Path(sys.argv[1]), Path(sys.argv[2])
    report = Report(run)
    text = report.render()
    print(text)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text + "\n")
    return 1 if report.failed() else 0


class Report:
    def __init__(self, run):
        self.run = run
        self.meta = self.load("meta.json")
        self.rows = []
        self.rails = []  # (rail, database, measured, passed)

    def load(self, name):
        path = self.run / name
        return json.loads(path.read_text()) if path.exists() else None

    def results(self, pattern, key):
        """The result rows of every JSON file matching the pattern, one per key(row): the
        turns of one measurement (bench/run.sh takes them ABAB) as one, with the mean of
        their medians."""
        paths = sorted(self.run.glob(pattern))
        turns = {}
        for row in (r for path in paths for r in self.load(path.name)["results"]):
            turns.setdefault(key(row), []).append(row)
        return {k: merged(rows) for k, rows in turns.items()}

    def row(self, what, db, ours, theirs="–", ratio="–", target="–", passed=None, cached=None):
        """One line; `passed` judges the uncached figure, `cached` (if given) the cached one."""
        verdict = "–" if passed is None else f"**{pass_or_fail(passed)}**"
        if cached is not None:
            verdict += f" (cached: {pass_or_fail(cached)})"
        self.rows.append(f"| {what} | {db} | {ours} | {theirs} | {ratio} | {target} | {verdict} |")

    def rail(self, rail, db, measured, passed):
        """Records a guard rail's verdict for the list at the end; returns it."""
        self.rails.append((rail, db, measured, passed))
        return passed

    def failed(self):
        return not self.rails or not all(passed for *_rest, passed in self.rails)

    def render(self):
        self.renders()
        self.queries()
        self.bytes_per_comment()
        self.loads()
        self.posting()
        self.scale()
        m = self.meta
        head = [
            f"Newsboard vs django-comments-xtd {m['xtd_version']}, one `make bench` run,"
            f" {m['started']} ({m['wall_s']} s)",
            "",
            f"{m['machine']}; loadavg {m['loadavg_start']} at start, {m['loadavg_end']} at end;"
            f" Python {m['python']}, Django {m['django']}; {m['postgres']};"
            f" SQLite {m['sqlite']}; load tool {m['load_tool']}",
            "",
            "| measurement | DB | Newsboard | django-comments-xtd | Newsboard vs xtd | target | |",
            "|---|---|---|---|---|---|---|",
        ]
        return "\n".join(head + self.rows + [""] + self.rail_list() + [""] + self.notes())

    def rail_list(self):
        passed = sum(verdict for *_rest, verdict in self.rails)
        lines = [f"Guard rails: {passed} of {len(self.rails)} PASS", ""]
        lines += [
            f"- {pass_or_fail(verdict)}: {rail}{f' ({db})' if db != '–' else ''}: {measured}"
            for rail, db, measured, verdict in self.rails
        ]
        return lines

    def renders(self):
        for vendor, label in DBS:
            ours = self.results(
                f"nb-render-{vendor}-*.json", lambda r: (r["n"], r["mode"], r["cache"])
            )
            theirs = self.results(f"xtd-render-{vendor}-*.json", lambda r: r["n"])
            if not ours or not theirs:
                continue
            unmeasured = [n for n in JUDGED_SIZES if (n, "full", "off") not in ours]
            if unmeasured:
                self.rail(
                    "the rails' sizes measured (BENCH_SIZES)",
                    label,
                    f"no N = {', '.join(f'{n:,}' for n in unmeasured)} in this run",
                    False,
                )
            for n in sorted(n for n, mode, cache in ours if mode == "full" and cache == "off"):
                mine, peer = ours[n, "full", "off"], theirs[n]
                cached = ours.get((n, "full", "on"))
                speedup = peer["median_ms"] / mine["median_ms"]
                ratio = f"{speedup:.2f}× as fast"
                cached_speedup = None
                if cached:
                    cached_speedup = peer["median_ms"] / cached["median_ms"]
                    ratio += f" (cached {cached_speedup:.0f}×)"
                judged = n in JUDGED_SIZES
                passed = cached_passed = None
                if judged:
                    passed = self.rail(
                        f"full thread N={n:,} uncached, ≥ {FULL_THREAD_SPEEDUP}× as fast as xtd",
                        label,
                        f"{speedup:.2f}×",
                        speedup >= FULL_THREAD_SPEEDUP,
                    )
                if judged and cached:
                    cached_passed = self.rail(
                        f"full thread N={n:,} cached, ≥ {FULL_THREAD_SPEEDUP}× as fast as xtd",
                        label,
                        f"{cached_speedup:.0f}×",
                        cached_speedup >= FULL_THREAD_SPEEDUP,
                    )
                self.row(
                    f"full thread, N={n:,}: {runs(mine)}, uncached"
                    + (f" (cached {ms(cached['median_ms'])})" if cached else ""),
                    label,
                    page(mine),
                    page(peer),
                    ratio,
                    f"≥ {FULL_THREAD_SPEEDUP}× as fast" if judged else "–",
                    passed,
                    cached_passed,
                )
            for n in sorted(n for n, mode, cache in ours if mode == "default" and cache == "off"):
                mine, cached = ours[n, "default", "off"], ours.get((n, "default", "on"))
                passed = cached_passed = None
                if n == 5000:
                    passed = self.rail(
                        f"default page N=5,000 uncached, < {DEFAULT_PAGE_MS} ms",
                        label,
                        ms(mine["median_ms"]),
                        mine["median_ms"] < DEFAULT_PAGE_MS,
                    )
                if n == 5000 and cached:
                    cached_passed = self.rail(
                        f"default page N=5,000 cached, < {DEFAULT_PAGE_MS} ms",
                        label,
                        ms(cached["median_ms"]),
                        cached["median_ms"] < DEFAULT_PAGE_MS,
                    )
                self.row(
                    f"default page, N={n:,}: {mine['comments']:,} comments shown, uncached"
                    + (f" (cached {ms(cached['median_ms'])})" if cached else ""),
                    label,
                    page(mine),
                    "(no pagination)",
                    f"{theirs[n]['median_ms'] / mine['median_ms']:.1f}× xtd's full page",
                    f"< {DEFAULT_PAGE_MS} ms" if n == 5000 else "–",
                    passed,
                    cached_passed,
                )
            if 0 in theirs:
                self.row(
                    "Django floor in-process (xtd's 20-byte /floor/ view)",
                    label,
                    "–",
                    ms(theirs[0]["median_ms"]),
                )

    def queries(self):
        """Queries per page, uncached, for every N: the same count whatever the N."""
        for vendor, label in DBS:
            ours = self.results(
                f"nb-render-{vendor}-*.json", lambda r: (r["n"], r["mode"], r["cache"])
            )
            theirs = self.results(f"xtd-render-{vendor}-*.json", lambda r: r["n"])
            if not ours:
                continue
            sizes = sorted({n for n, _mode, cache in ours if cache == "off"})
            counts = {
                mode: [ours[n, mode, "off"]["queries"] for n in sizes if (n, mode, "off") in ours]
                for mode in ("full", "default")
            }
            measured = "; ".join(
                f"{mode} {', '.join(map(str, found))}" for mode, found in counts.items() if found
            )
            constant = all(len(set(found)) == 1 for found in counts.values() if found)
            self.row(
                f"queries per page, uncached, N={' / '.join(f'{n:,}' for n in sizes)}",
                label,
                measured,
                ", ".join(str(theirs[n]["queries"]) for n in sizes if n in theirs) or "–",
                "–",
                "the same for every N",
                self.rail("queries per page constant in N", label, measured, constant),
            )

    def bytes_per_comment(self):
        """HTML bytes of the full-thread page over its N comments."""
        for vendor, label in DBS:
            ours = self.results(
                f"nb-render-{vendor}-*.json", lambda r: (r["n"], r["mode"], r["cache"])
            )
            theirs = self.results(f"xtd-render-{vendor}-*.json", lambda r: r["n"])
            for n in JUDGED_SIZES:
                if (n, "full", "off") not in ours:
                    continue
                per_comment = ours[n, "full", "off"]["bytes"] / n
                peer = theirs[n]["bytes"] / n if n in theirs else None
                self.row(
                    f"HTML bytes per comment, full thread N={n:,} (page bytes / N)",
                    label,
                    f"{per_comment:,.0f} B",
                    f"{peer:,.0f} B" if peer else "–",
                    f"{per_comment / peer:.2f}× xtd's" if peer else "–",
                    f"≤ {BYTES_PER_COMMENT:,} B",
                    self.rail(
                        f"HTML bytes per comment, full thread N={n:,}, ≤ {BYTES_PER_COMMENT:,} B",
                        label,
                        f"{per_comment:,.0f} B" + (f" (xtd {peer:,.0f} B)" if peer else ""),
                        per_comment <= BYTES_PER_COMMENT,
                    ),
                )

    def load_turns(self, name):
        """The runs of one load taken in turns with another (load-NAME.json, then
        load-NAME-2.json) as one: their mean req/s, their worst p99, their peak RSS."""
        runs = [r for r in (self.load(f"load-{name}.json"), self.load(f"load-{name}-2.json")) if r]
        if len(runs) < 2:
            return runs[0] if runs else None
        summaries = [r["summary"] for r in runs]
        return {
            "turns": [s["rps"] for s in summaries],
            "summary": {
                "rps": statistics.fmean(s["rps"] for s in summaries),
                "p50_ms": statistics.fmean(s["p50_ms"] for s in summaries),
                "p99_ms": max(s["p99_ms"] for s in summaries),
                "worker_peak_rss_mib": max(s["worker_peak_rss_mib"] for s in summaries),
                "errors": sum(s["errors"] for s in summaries),
            },
        }

    def loads(self):
        floor = self.load_turns("xtd-floor")
        if floor:
            self.row(
                "gunicorn: Django floor, xtd's 20-byte /floor/",
                "–",
                "–",
                load(floor),
            )
        home = self.load("load-nb-home.json")
        if home:
            self.row("gunicorn: front page /", "PostgreSQL", load(home, floor))
        ours, theirs = self.load_turns("nb-page"), self.load_turns("xtd-page")
        if ours and theirs:
            ratio = rps_ratio(ours, theirs)
            self.row(
                "gunicorn: article page N=1,000, uncached (Newsboard: default page)",
                "PostgreSQL",
                load(ours, floor),
                load(theirs, floor),
                f"{ratio:.1f}× the req/s" if ratio else "n/a: xtd completed no request",
                f"≥ {UNCACHED_RPS_RATIO}× the req/s",
                self.rail(
                    f"uncached N=1,000 page, ≥ {UNCACHED_RPS_RATIO}× xtd's req/s",
                    "PostgreSQL",
                    f"{ratio:.1f}×" if ratio else "xtd completed no request",
                    bool(ratio) and ratio >= UNCACHED_RPS_RATIO,
                ),
            )
            cached = self.load_turns("nb-page-cached")
            if cached:
                ratio = rps_ratio(cached, theirs)
                of_floor = rps_ratio(cached, floor) if floor else None
                self.row(
                    "gunicorn: article page N=1,000, cached (the site's own cache)",
                    "PostgreSQL",
                    load(cached, floor),
                    "–",
                    f"{ratio:.1f}× the req/s" if ratio else "n/a",
                    f"≥ {CACHED_SHARE_OF_FLOOR:.0%} of the floor's req/s",
                    self.rail(
                        f"cached page, ≥ {CACHED_SHARE_OF_FLOOR:.0%} of the Django floor's req/s",
                        "PostgreSQL",
                        f"{of_floor:.1%}" if of_floor is not None else "no floor run",
                        of_floor is not None and of_floor >= CACHED_SHARE_OF_FLOOR,
                    ),
                )
            mine, peer = rss(ours), rss(theirs)
            self.row(
                "gunicorn worker peak RSS (VmHWM) after the uncached page run",
                "PostgreSQL",
                f"{mine:.1f} MiB",
                f"{peer:.1f} MiB",
                f"{mine / peer:.2f}×",
                "≤ xtd",
                self.rail(
                    "gunicorn worker peak RSS ≤ xtd's",
                    "PostgreSQL",
                    f"{mine:.1f} MiB (xtd {peer:.1f} MiB)",
                    mine <= peer,
                ),
            )

    def posting(self):
        p = self.load("posting.json")
        if not p:
            return
        sound = p["rows_match"] and p["server_errors"] == 0
        self.row(
            f"posting: {p['clients']} guests for {p['seconds']:.0f} s, 2 gunicorn workers",
            "PostgreSQL",
            f"{p['comments_per_s']} comments/s, p50 {p['p50_ms']} ms, p99 {p['p99_ms']} ms;"
            f" {p['responses_303']:,} × 303 = {p['rows_added']:,} rows"
            f" {'✓' if p['rows_match'] else '✗'}; 5xx: {p['server_errors']};"
            f" statuses {p['statuses']}",
            "–",
            "–",
            f"≥ {POSTING_PER_S} comments/s, rows = 303s, no 5xx",
            self.rail(
                f"posting with {p['clients']} clients, ≥ {POSTING_PER_S} comments/s,"
                " rows = 303s, no 5xx",
                "PostgreSQL",
                f"{p['comments_per_s']} comments/s, rows {'=' if p['rows_match'] else '≠'} 303s,"
                f" {p['server_errors']} 5xx",
                p["comments_per_s"] >= POSTING_PER_S and sound,
            ),
        )

    def scale(self):
        run = self.load("scale.json")
        if not run:
            return
        (small, _), (large, large_run) = run["results"].items()
        page_ms = {size: statistics.median(r["times_ms"]) for size, r in run["results"].items()}
        sql_ms = {size: statistics.median(r["sql_ms"]) for size, r in run["results"].items()}
        ratio = page_ms[large] / page_ms[small]
        self.row(
            f"scale: article N=1,000, default page, uncached, {int(small):,} → {int(large):,}"
            f" comments in the table (2,000 articles); median of {run['runs']} GETs each, the"
            " two databases in turns GET by GET",
            "PostgreSQL",
            f"{ms(page_ms[small])} → {ms(page_ms[large])}; of which SQL"
            f" {ms(sql_ms[small])} → {ms(sql_ms[large])}"
            f" ({sql_ms[large] / sql_ms[small]:.2f}×), {large_run['queries']} queries",
            "–",
            f"{ratio:.2f}× the time",
            f"≤ {SCALE_RATIO}×",
            self.rail(
                f"scale: {int(small):,} → {int(large):,} comments in the table,"
                f" ≤ {SCALE_RATIO}× the time",
                "PostgreSQL",
                f"{ratio:.2f}×",
                ratio <= SCALE_RATIO,
            ),
        )

    def notes(self):
        m = self.meta
        return [
            "In-process cells: server time, SQL queries, response bytes (django.test.Client,"
            " DEBUG off, anonymous reader; Newsboard and xtd in turns, twice each, each turn"
            f" the median of {m['runs']} GETs after {m['warmup'] + 1} untimed ones, one of"
            " them counting the queries, and the mean of the two medians). Uncached: Django's"
            " DummyCache, so Newsboard renders every request from the database, as xtd does;"
            " cached: the site's own cache, filled by the warm-up (PostgreSQL only). gunicorn"
            " cells: req/s, p50 and p99 latency, worker peak RSS, share of the floor's req/s"
            f" ({m['load_tool']} -t2 -c8 -d{m['load_seconds']}s after a 2 s warm-up, 2 sync"
            " workers, DEBUG off, a fresh gunicorn per run; the floor and the cached page ran"
            " in turns, twice each, and so did both uncached article pages: their means are"
            " compared). Both projects get the same threads (the peer harness's shape.py)."
            " The scale row runs with fsync off (set for loading the million rows; it only"
            " reads). The machine is shared: compare ratios from one run, not absolute"
            " numbers across runs.",
        ]


def pass_or_fail(passed):
    return "PASS" if passed else "FAIL"


def ms(value):
    return f"{value:,.1f} ms" if value >= 10 else f"{value:.2f} ms"


def page(r):
    return f"{ms(r['median_ms'])}, {r['queries']} q, {r['bytes'] / 1000:,.0f} kB"


def runs(row):
    """How a time was taken: "median of 15", or "mean of 2 medians of 8"."""
    if "turns" in row:
        return f"mean of {row['turns']} medians of {row['runs'] // row['turns']}"
    return f"median of {row['runs']}"


def merged(turns):
    """Rows of one in-process measurement taken in turns, as one: the mean of their
    medians, all their runs, the extremes of their extremes."""
    if len(turns) == 1:
        return turns[0]
    return {
        **turns[0],
        "median_ms": statistics.fmean(r["median_ms"] for r in turns),
        "min_ms": min(r["min_ms"] for r in turns),
        "max_ms": max(r["max_ms"] for r in turns),
        "runs": sum(r["runs"] for r in turns),
        "turns": len(turns),
    }


def rps_ratio(ours, theirs):
    """Our req/s over theirs; None when no request of theirs completed in the run."""
    theirs = theirs["summary"]["rps"]
    return ours["summary"]["rps"] / theirs if theirs else None


def rss(r):
    return r["summary"]["worker_peak_rss_mib"]


def load(r, floor=None):
    s = r["summary"]
    text = f"{s['rps']:,.1f} req/s, p50 {ms(s['p50_ms'])}, p99 {ms(s['p99_ms'])}, {rss(r)} MiB"
    if "turns" in r:
        text += f" (mean of {' and '.join(f'{rps:,.1f}' for rps in r['turns'])})"
    if s["errors"]:
        text += f", **{s['errors']} errors**"
    if floor:
        text += f" ({rps_ratio(r, floor) or 0:.1%} of floor)"
    return text


if __name__ == "__main__":
    sys.exit(main())
