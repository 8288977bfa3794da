#!/usr/bin/env bash
# `make bench`: Newsboard against django-comments-xtd, our nearest peer, measured in one
# run on this machine; prints one table with the targets and writes it to
# bench/results/latest.md (the raw JSON goes beside it, in bench/results/latest/).
#
# The peer is the ready harness in ../shared/peers/xtd (NEWSBOARD_PEER_DIR): its own
# venv ($PEER_VENV, /tmp/peer-xtd-venv, made from its requirements.txt as its
# run_bench.sh does), its data loader and render timer (manage.py gen_comments,
# bench_render), and its gunicorn + wrk driver (bench/load.py), which drives
# Newsboard's gunicorn too. Newsboard loads the same threads from the peer's
# shape.py (bench/load_data.py) and is timed the same way (bench/render.py).
#
# 1. a throwaway PostgreSQL (.ci/postgres.sh, 127.0.0.1:$BENCH_PG_PORT, stock settings);
# 2. both projects load N = 100, 1,000, 5,000 comments into SQLite and PostgreSQL (side by
#    side: nothing is timed yet), then, one at a time and in turns (ABAB), time their
#    article pages in-process (Newsboard: whole discussion and default page, uncached and
#    cached);
# 3. gunicorn (2 sync workers, DEBUG off, PostgreSQL) under wrk: xtd's 20-byte floor
#    view and Newsboard's cached N=1,000 article page in turns, twice each; Newsboard's
#    front page; both N=1,000 article pages uncached, in turns, twice each; worker peak RSS;
# 4. 16 guests posting to Newsboard for 20 s (bench/posting.py; its gunicorn is started by
#    tests/system/servers.py, the harness the two-process tests and .ci/ use);
# 5. the N=1,000 page (default, uncached) with 10,000 and with 1,000,000 comments in the
#    table, the two databases timed GET by GET in turns (bench/scale.py), page and SQL time;
# 6. the table (bench/report.py), every guard rail judged PASS or FAIL against its
#    reference from this run (bench/README.md); the exit status is 1 when one fails.
#    Everything it started is stopped, its temp dir removed.
#
# Knobs: BENCH_PG_PORT (the first free from 25433), BENCH_PORT (28011, gunicorn),
# BENCH_SIZES ("100 1000 5000"), BENCH_RUNS (15 timed GETs per page), BENCH_SCALE_TOTAL (1000000),
# BENCH_SCALE_RUNS (100 GETs of each database), BENCH_LOAD_SECONDS (10),
# BENCH_POST_SECONDS (20), PEER_VENV, NEWSBOARD_PEER_DIR. wrk comes from Debian (apt-get
# install wrk, done here when missing); without it the peer's driver falls back to its
# slower Python client.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=$ROOT/.venv/bin/python
PEER=$(cd "${NEWSBOARD_PEER_DIR:-$ROOT/../shared/peers/xtd}" && pwd)
PEER_VENV=${PEER_VENV:-/tmp/peer-xtd-venv}
PEER_PY=$PEER_VENV/bin/python
PORT=${BENCH_PORT:-28011}
SIZES=${BENCH_SIZES:-100 1000 5000}
RUNS=${BENCH_RUNS:-15}
SCALE_RUNS=${BENCH_SCALE_RUNS:-100}
WARMUP=1
SCALE_TOTALS="10000 ${BENCH_SCALE_TOTAL:-1000000}"
LOAD_SECONDS=${BENCH_LOAD_SECONDS:-10}
POST_SECONDS=${BENCH_POST_SECONDS:-20}
RESULTS=$ROOT/bench/results
STARTED=$SECONDS
STARTED_AT=$(date -u '+%Y-%m-%d %H:%M UTC')
LOADAVG_START=$(cut -d' ' -f1-3 /proc/loadavg)

log() { printf '[%3d s] %s\n' "$((SECONDS - STARTED))" "$*"; }
free_port() {  # the first port from $1 up where nothing answers a TCP connect
  local port=$1
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  echo "$port"
}
PORT=$(free_port "$PORT")

RUN=$(mktemp -d -t newsboard-bench.XXXXXX)
chmod 755 "$RUN"
source .ci/postgres.sh
cleanup() {
  local pidfile pid
  for pidfile in "$RUN"/gunicorn-*.pid; do
    [ -f "$pidfile" ] || continue
    pid=$(cat "$pidfile" 2>/dev/null) || continue
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      log "stopping gunicorn $pid"
      kill -TERM "$pid" 2>/dev/null || true
    fi
  done
  pg_stop
  rm -rf "$RUN"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ------------------------------------------------------------------ tools
if ! command -v wrk >/dev/null 2>&1; then
  log "wrk missing: apt-get install wrk"
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq wrk; } \
    >/dev/null 2>&1 || log "no wrk: the load runs use the peer's bench/pyload.py instead"
fi
REQ_SUM=$(sha256sum "$PEER/requirements.txt" | cut -d' ' -f1)
if [ ! -x "$PEER_PY" ] || [ "$(cat "$PEER_VENV/.peer-xtd-req" 2>/dev/null)" != "$REQ_SUM" ]; then
  log "creating the peer's venv $PEER_VENV from its requirements.txt"
  rm -rf "$PEER_VENV"
  "$(.ci/find-python.sh)" -m venv "$PEER_VENV"
  "$PEER_VENV/bin/pip" install -q --disable-pip-version-check -r "$PEER/requirements.txt" 2>&1 \
    | { grep -v "^WARNING: Location" || true; }
  echo "$REQ_SUM" >"$PEER_VENV/.peer-xtd-req"
fi

# ------------------------------------------------------------------ environment
export PYTHONDONTWRITEBYTECODE=1
export PYTHONWARNINGS="ignore::DeprecationWarning,ignore::PendingDeprecationWarning"
# Newsboard: the production settings (DEBUG off) relaxed for plain HTTP on 127.0.0.1, as
# the server harness (tests/system/servers.py) gives them to every server it starts, with
# static files and uploads in the run's temp dir; bench.settings adds the cache switch.
exports=$("$PY" -m tests.system.servers "$RUN")
eval "$exports"
export DJANGO_SETTINGS_MODULE=bench.settings DJANGO_ALLOWED_HOSTS=127.0.0.1,testserver
# the peer: its settings read these
export PEER_SQLITE_PATH=$RUN/xtd.sqlite3 PEER_PG_NAME=peerxtd

log "PostgreSQL"
# Not in a pipe or subshell: pg_start sets PG_PID, PG_DIR, PG_URL (and picks a free port
# unless BENCH_PG_PORT names one).
PG_PORT=${BENCH_PG_PORT:-}
pg_start >"$RUN/pg_start.log" 2>&1 || { cat "$RUN/pg_start.log" >&2; exit 1; }
sed 's/^/    /' "$RUN/pg_start.log"
export PEER_PG_PORT=$PG_PORT
NB_PG_URL=$PG_URL
SCALE_URL=postgres://postgres@127.0.0.1:$PG_PORT/newsboard_scale
"$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres peerxtd
# the peer's own commands, in its dir and venv, with its own settings module
xtd() { (cd "$PEER" && env -u DJANGO_SETTINGS_MODULE "$PEER_PY" "$@"); }
psql_do() {  # psql_do DATABASE SQL [more psql options]
  local db=$1
  shift
  "$PG_BIN/psql" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "$db" -c "$@"
}

log "collectstatic into the run's temp dir"
DATABASE_URL=sqlite:///$RUN/nb.sqlite3 "$PY" manage.py collectstatic --noinput -v0

# ------------------------------------------------------------------ data (nothing timed yet)
url_for() { [ "$1" = sqlite ] && echo "sqlite:///$RUN/nb.sqlite3" || echo "$NB_PG_URL"; }
peer_db() { [ "$1" = sqlite ] && echo sqlite || echo postgres; }
setup_newsboard() {  # migrate, load N = $SIZES from shape.py
  export DATABASE_URL
  DATABASE_URL=$(url_for "$1")
  "$PY" manage.py migrate -v0
  if [ "$1" = postgresql ]; then  # an empty, migrated copy for the scale run
    "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres -T newsboard newsboard_scale
  fi
  # shellcheck disable=SC2086
  "$PY" bench/load_data.py threads $SIZES
  [ "$1" = sqlite ] || psql_do newsboard "VACUUM ANALYZE"
}
setup_xtd() {  # the peer's own loader: gen_comments --mode bulk
  export PEER_DB
  PEER_DB=$(peer_db "$1")
  xtd manage.py migrate -v0
  # shellcheck disable=SC2086
  xtd manage.py gen_comments $SIZES --mode bulk --verify-max 100
  [ "$1" = sqlite ] || psql_do peerxtd "VACUUM ANALYZE"
}
log "loading N = $SIZES into both projects on SQLite and PostgreSQL, side by side"
pids=()
for DB in sqlite postgresql; do
  setup_newsboard "$DB" >"$RUN/setup-newsboard-$DB.log" 2>&1 &
  pids+=($!)
  setup_xtd "$DB" >"$RUN/setup-xtd-$DB.log" 2>&1 &
  pids+=($!)
done
failed=0
for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
for f in "$RUN"/setup-*.log; do
  echo "    ${f##*/setup-}:"
  sed 's/^/        /' "$f"
done
[ "$failed" = 0 ] || { log "loading failed"; exit 1; }

# ------------------------------------------------------------------ in-process renders
# Per database and N, Newsboard and xtd in turns, twice each (ABAB, half the timed GETs
# each time), so that a drift in the machine's speed hits both figures that are compared.
TURN_RUNS=$(((RUNS + 1) / 2))
for DB in sqlite postgresql; do
  export DATABASE_URL PEER_DB
  DATABASE_URL=$(url_for "$DB") PEER_DB=$(peer_db "$DB")
  for n in $SIZES; do
    for turn in 1 2; do
      log "[$DB] N=$n: Newsboard, then xtd (its bench_render), in-process (turn $turn)"
      # cached: on PostgreSQL only, the production database (it hardly matters once cached)
      "$PY" bench/render.py "$n" --runs "$TURN_RUNS" --warmup "$WARMUP" \
        --caches off $([ "$DB" = sqlite ] || echo on) --json "$RUN/nb-render-$DB-$n-$turn.json"
      # shellcheck disable=SC2046
      xtd manage.py bench_render "$n" $([ "$n" = "${SIZES##* }" ] && echo --floor) \
        --runs "$TURN_RUNS" --warmup "$WARMUP" --json "$RUN/xtd-render-$DB-$n-$turn.json" \
        | sed 's/^/    /'
    done
  done
done

# ------------------------------------------------------------------ gunicorn + wrk
export DATABASE_URL=$NB_PG_URL PEER_DB=postgres
drive() {  # drive NAME PATH [load.py options]: one gunicorn, one wrk run (the peer's driver)
  local name=$1 path=$2
  shift 2
  log "[gunicorn] $name $path"
  "$PEER_PY" "$PEER/bench/load.py" --name "$name" --path "$path" --port "$PORT" \
    --run-dir "$RUN" --duration "$LOAD_SECONDS" --warmup 2 "$@" | sed 's/^/    /'
}
# The peer's driver starts both projects' gunicorns itself, with one command line and one
# way of reading the workers' memory, so that the two are measured alike.
nb_drive() {  # the same for Newsboard's gunicorn, with the environment set above
  drive "$@" --wsgi newsboard.wsgi:application --chdir "$ROOT" --gunicorn "$ROOT/.venv/bin/gunicorn"
}
(
  export DJANGO_ALLOWED_HOSTS=127.0.0.1
  # The floor and the cached page in turns (ABAB): each is judged against the other,
  # and this machine's speed drifts by 10 % or more from one run to the next.
  for turn in "" -2; do
    (unset DJANGO_SETTINGS_MODULE && drive "xtd-floor$turn" /floor/)
    nb_drive "nb-page-cached$turn" /articles/article-1000/
  done
  nb_drive nb-home /
  # both N=1,000 pages uncached, in turns too
  for turn in "" -2; do
    (export NEWSBOARD_BENCH_CACHE=off && nb_drive "nb-page$turn" /articles/article-1000/)
    (unset DJANGO_SETTINGS_MODULE && drive "xtd-page$turn" /articles/article-1000/)
  done
)

# ------------------------------------------------------------------ posting
log "[posting] 16 guests for $POST_SECONDS s"
DJANGO_ALLOWED_HOSTS=127.0.0.1 NEWSBOARD_RATE_LIMIT_IP=1000000 NEWSBOARD_RATE_LIMIT_AUTHOR=1000000 \
  NEWSBOARD_NEW_COMMENTER_APPROVALS=0 \
  "$PY" bench/posting.py --run-dir "$RUN" --clients 16 --seconds "$POST_SECONDS"

# ------------------------------------------------------------------ scale
# Two databases, 10,000 and BENCH_SCALE_TOTAL comments, timed from one process GET by GET
# in turns (bench/scale.py), so that the machine's drift hits both alike; the SQL time of
# the page is taken apart from the page's, as it is what could grow.
# Loading a million rows writes some 3 GB (table, indexes, WAL); with fsync on, a shared
# disk makes that minutes. What follows only reads, so durability is switched off for the
# rest of the run (the cluster is thrown away at the end).
psql_do postgres "ALTER SYSTEM SET fsync = off" -c "ALTER SYSTEM SET full_page_writes = off" \
  -c "SELECT pg_reload_conf()" >/dev/null
set -- $SCALE_TOTALS
log "[scale] 2,000 articles, article-1000 with shape.py's 1,000 comments; $1 comments in all"
DATABASE_URL=$SCALE_URL "$PY" bench/load_data.py scale --total "$1"
"$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres -T newsboard_scale newsboard_scale_large
log "[scale] the copy grown to $2 comments"
DATABASE_URL=${SCALE_URL}_large "$PY" bench/load_data.py scale --total "$2"
psql_do newsboard_scale "VACUUM ANALYZE"
psql_do newsboard_scale_large "VACUUM ANALYZE"
# The gigabytes just written go to disk now, not in the kernel's background writeback
# while the turns below are timed.
psql_do postgres "CHECKPOINT"
sync
log "[scale] article-1000, default page, $1 and $2 comments in the table, GET by GET in turns"
DATABASE_URL=$SCALE_URL "$PY" bench/scale.py newsboard_scale_large --small-label "$1" \
  --large-label "$2" --runs "$SCALE_RUNS" --json "$RUN/scale.json"

# ------------------------------------------------------------------ report
LOADAVG_END=$(cut -d' ' -f1-3 /proc/loadavg)
NB_DJANGO=$("$PY" -c 'import django; print(django.get_version())')
"$PEER_PY" - "$RUN/meta.json" <<EOF
import json, os, platform, shutil, sqlite3, subprocess, sys
from importlib.metadata import version
def first_line(cmd):
    return subprocess.run(cmd, capture_output=True, text=True).stdout.splitlines()[0]
json.dump({
    "started": "$STARTED_AT",
    "wall_s": $((SECONDS - STARTED)),
    "loadavg_start": "$LOADAVG_START",
    "loadavg_end": "$LOADAVG_END",
    "machine": f"{os.cpu_count()} CPUs {platform.machine()}, kernel {platform.release()}",
    "python": platform.python_version(),
    "django": version("Django") + ("" if version("Django") == "$NB_DJANGO" else " (xtd), $NB_DJANGO (Newsboard)"),
    "xtd_version": version("django-comments-xtd"),
    "postgres": first_line(["$PG_BIN/postgres", "--version"]),
    "sqlite": sqlite3.sqlite_version,
    "load_tool": first_line(["wrk", "--version"]).split(" [")[0] if shutil.which("wrk") else "pyload",
    "load_seconds": $LOAD_SECONDS,
    "runs": $TURN_RUNS,
    "warmup": $WARMUP,
    "scale_totals": [int(n) for n in "$SCALE_TOTALS".split()],
}, open(sys.argv[1], "w"), indent=1)
EOF
rm -rf "$RESULTS/latest"
mkdir -p "$RESULTS/latest"
cp "$RUN"/*.json "$RESULTS/latest/"
echo
status=0
"$PY" bench/report.py "$RUN" "$RESULTS/latest.md" || status=$?
echo
if [ "$status" = 0 ]; then
  log "done, every guard rail PASS: bench/results/latest.md"
else
  log "done, a guard rail FAILED (see the list above): bench/results/latest.md"
fi
exit "$status"
