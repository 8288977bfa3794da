"""The `make bench` table (bench/report.py): every guard rail judged against its reference
from the same run, on a run directory made up here, so the table is checked without the
ten minutes of a real run."""

import json

import pytest

from bench import report

SIZES = (100, 1000, 5000)
LOADS = {"xtd-floor": 2_000, "nb-page-cached": 900, "nb-home": 800, "nb-page": 400, "xtd-page": 20}

META = {
    "started": "2026-12-07 23:00 UTC",
    "wall_s": 360,
    "loadavg_start": "0.1 0.1 0.1",
    "loadavg_end": "1.9 1.5 1.0",
    "machine": "2 CPUs x86_64",
    "python": "3.12.3",
    "django": "6.1",
    "xtd_version": "2.10",
    "postgres": "postgres (PostgreSQL) 17",
    "sqlite": "3.46",
    "load_tool": "wrk 4.2",
    "load_seconds": 10,
    "runs": 8,
    "warmup": 1,
    "scale_totals": [10_000, 1_000_000],
}
POSTING = {
    "clients": 16,
    "seconds": 20.1,
    "posts": 2_500,
    "statuses": {"303": 2_500},
    "comments_per_s": 124.4,
    "p50_ms": 120,
    "p99_ms": 400,
    "mean_ms": 130,
    "rows_added": 2_500,
    "responses_303": 2_500,
    "server_errors": 0,
    "connection_errors": 0,
    "rows_match": True,
}
SCALE = {
    "runs": 3,
    "results": {
        "10000": {"times_ms": [10, 11, 12], "sql_ms": [2, 2, 2], "queries": 6},
        "1000000": {"times_ms": [11, 12, 13], "sql_ms": [2, 2.2, 2.4], "queries": 6},
    },
}


def write(path, data):
    path.write_text(json.dumps(data))


def render_row(n, **fields):
    return {"n": n, "queries": 6, "min_ms": 1.0, "max_ms": 9.0, "runs": 8, **fields}


def load(rps, rss):
    return {"rps": rps, "p50_ms": 5, "p99_ms": 20, "worker_peak_rss_mib": rss, "errors": 0}


def render_time(n, mode, cache):
    """Newsboard's in-process time: the full thread grows with N, the default page does not."""
    return (n / 100 if mode == "full" else 5) / (2 if cache == "on" else 1)


@pytest.fixture
def run(tmp_path):
    """The files bench/run.sh leaves, with every figure inside its rail."""
    write(tmp_path / "meta.json", META)
    for vendor in ("sqlite", "postgresql"):
        for turn in (1, 2):
            ours = [
                render_row(
                    n,
                    mode=mode,
                    cache=cache,
                    bytes=1_000 * n + 20_000,
                    comments=n,
                    median_ms=render_time(n, mode, cache),
                )
                for n in SIZES
                for mode in ("full", "default")
                for cache in ("off", "on")
            ]
            theirs = [render_row(n, bytes=1_290 * n, median_ms=n / 20) for n in SIZES]
            theirs.append(render_row(0, bytes=20, median_ms=0.2))
            write(tmp_path / f"nb-render-{vendor}-{turn}.json", {"results": ours})
            write(tmp_path / f"xtd-render-{vendor}-{turn}.json", {"results": theirs})
    for name, rps in LOADS.items():
        rss = 70 if name.startswith("xtd") else 60
        for suffix in ("", "-2"):
            write(tmp_path / f"load-{name}{suffix}.json", {"summary": load(rps, rss)})
    write(tmp_path / "posting.json", POSTING)
    write(tmp_path / "scale.json", SCALE)
    return tmp_path


def rails(run_dir):
    table = report.Report(run_dir)
    text = table.render()
    return table, text


def test_every_guard_rail_inside_its_limit_passes(run):
    table, text = rails(run)
    assert not table.failed()
    assert "FAIL" not in text
    # Full thread x2 sizes x2 caches x2 databases, default page x2 caches x2 databases,
    # queries x2 databases, bytes x2 sizes x2 databases, uncached, cached, RSS, posting, scale.
    assert "Guard rails: 23 of 23 PASS" in text
    assert "- PASS: HTML bytes per comment, full thread N=1,000, ≤ 1,200 B (SQLite): " in text
    assert "1,020 B (xtd 1,290 B)" in text


@pytest.mark.parametrize(
    ("change", "failing"),
    [
        ("bytes", "HTML bytes per comment, full thread N=5,000"),
        ("queries", "queries per page constant in N"),
        ("posting", "posting with 16 clients"),
        ("uncached", "uncached N=1,000 page"),
    ],
)
def test_a_figure_outside_its_rail_fails_it_and_the_run(run, change, failing):
    if change in ("bytes", "queries"):
        for path in run.glob("nb-render-postgresql-*.json"):
            rows = json.loads(path.read_text())
            for row in rows["results"]:
                if row["n"] == 5000 and row["mode"] == "full" and row["cache"] == "off":
                    row[change] = {"bytes": 1_201 * 5000, "queries": 7}[change]
            write(path, rows)
    elif change == "posting":
        write(run / "posting.json", {**POSTING, "comments_per_s": 99.9})
    else:
        write(run / "load-xtd-page-2.json", {"summary": load(rps=60, rss=70)})
    table, text = rails(run)
    assert table.failed()
    [line] = [line for line in text.splitlines() if line.startswith("- FAIL: ")]
    assert line.startswith(f"- FAIL: {failing}")
    assert "Guard rails: 22 of 23 PASS" in text


def test_a_run_without_the_sizes_the_rails_judge_fails(run):
    for path in run.glob("*-render-*.json"):
        rows = json.loads(path.read_text())
        write(path, {"results": [row for row in rows["results"] if row["n"] != 5000]})
    table, text = rails(run)
    assert table.failed()
    assert "- FAIL: the rails' sizes measured (BENCH_SIZES) (SQLite): no N = 5,000" in text
