#!/usr/bin/env bash
# Build the frozen one-folder app on Linux with the same spec as Windows (installer/lvqi_desktop.spec),
# then test the frozen binaries offscreen:
#   1. --smoke on a fresh temp data dir: migrations, county office, demo data, one xlsx + one PDF, main window
#   2. cold start to a shown main window (--startup-time, three runs) and the one-folder size
#   3. bad input: a read-only data dir, a second start, a database from a newer version
#   4. the console CLI (lvqi check) on the smoke database
#   5. the city edition on a PostgreSQL server: the smoke line names the driver it loaded (psycopg, binary), and,
#      when PostgreSQL is installed, the frozen CLI sets up and checks a city database on a throw-away cluster
# Usage: installer/build_linux_frozen.sh [VENV]   (VENV defaults to .venv; pyinstaller is installed into it)
# Output goes to $LVQI_FROZEN_OUT (default: a new temp dir), never into the source tree.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${1:-.venv}"
PY="$VENV/bin/python"
OUT="${LVQI_FROZEN_OUT:-}"
[ -n "$OUT" ] || { OUT="$(mktemp -d -t lvqi-frozen-XXXXXX)"; CLEAN_OUT=1; }
mkdir -p "$OUT"
export QT_QPA_PLATFORM=offscreen
failures=0
fail() { echo "FAILED: $*"; failures=$((failures + 1)); }

"$PY" -m pip install -q -e ".[build]"  # PyInstaller pinned in pyproject.toml's build extra
"$PY" -m compileall -q lvqi_desktop installer/run_lvqi.py installer/run_lvqi_cli.py >/dev/null  # syntax errors show up here, not as ModuleNotFoundError

echo "== pyinstaller installer/lvqi_desktop.spec -> $OUT/dist"
started=$(date +%s)
"$PY" -m PyInstaller --noconfirm --log-level WARN --distpath "$OUT/dist" --workpath "$OUT/work" \
  installer/lvqi_desktop.spec > "$OUT/pyinstaller.log" 2>&1 || { tail -40 "$OUT/pyinstaller.log"; exit 1; }
echo "build time: $(( $(date +%s) - started )) s (log: $OUT/pyinstaller.log)"
APP="$OUT/dist/lvqi_desktop"
GUI="$APP/lvqi-desktop"
CLI="$APP/lvqi"
echo "one-folder size: $(du -sh "$APP" | cut -f1)  ($APP)"

echo "== frozen smoke test"
DATA="$OUT/smoke-data"
if out=$(timeout 120 "$GUI" --smoke --data-dir "$DATA" 2>"$OUT/smoke.stderr"); then
  echo "$out"
  grep -q "SMOKE OK" <<<"$out" || fail "smoke printed no SMOKE OK line"
  grep -q "PostgreSQL 驱动 psycopg .*（binary）" <<<"$out" || fail "the frozen program cannot load the PostgreSQL driver"
else
  echo "$out"; cat "$OUT/smoke.stderr"; fail "frozen --smoke exited non-zero"
fi

echo "== frozen cold start to the main window (3 runs)"
for _ in 1 2 3; do
  t0=$(date +%s%N)
  line=$(timeout 60 "$GUI" --startup-time --data-dir "$DATA" 2>/dev/null) || fail "--startup-time exited non-zero"
  echo "$line; whole run incl. exit $(( ($(date +%s%N) - t0) / 1000000 )) ms"
done

echo "== frozen CLI: lvqi check"
timeout 60 "$CLI" --data-dir "$DATA" check --format json | "$PY" -c \
  "import json,sys; r=json.load(sys.stdin); print('lvqi check ok:', r['ok'], r['schema_revision'], r['counts']['enterprises'], 'enterprises'); sys.exit(0 if r['ok'] else 1)" \
  || fail "frozen lvqi check"

echo "== frozen CLI on a PostgreSQL server (the city edition)"
# a throw-away cluster (tests/pg_cluster.py: initdb + pg_ctl on a unix socket, as nobody when run as root)
if pg=$("$PY" -c "import psycopg
from tests.pg_cluster import find_bin_dir, start_cluster
b = find_bin_dir()
c = start_cluster(b) if b else None
if c:
    with psycopg.connect(c.url(), autocommit=True) as conn:
        conn.execute('CREATE DATABASE lvqi_frozen')
print(f'{b}\t{c.root}\t{c.url(\"lvqi_frozen\")}' if c else '')" 2>"$OUT/pg.stderr") && [ -n "$pg" ]; then
  IFS=$'\t' read -r pg_bin pg_root city_url <<<"$pg"
  set +e
  init_out=$(timeout 120 "$CLI" --data-dir "$OUT/city-data" --database "$city_url" init --city 2>&1); init_rc=$?
  check_out=$(timeout 120 "$CLI" --data-dir "$OUT/city-data" --database "$city_url" check --format json 2>"$OUT/check.stderr"); check_rc=$?
  set -e
  "$PY" -c "import sys; from pathlib import Path; from tests.pg_cluster import PgCluster; PgCluster(Path(sys.argv[1]), Path(sys.argv[2])).stop()" "$pg_bin" "$pg_root"
  echo "lvqi --database … init --city: exit $init_rc; check: exit $check_rc"
  [ "$init_rc" = 0 ] || { echo "$init_out"; fail "frozen CLI could not set up a city database on the server"; }
  "$PY" -c "import json,sys; r=json.loads(sys.argv[1]); print('lvqi check on the server ok:', r['ok'], r['schema_revision']); sys.exit(0 if r['ok'] else 1)" \
    "$check_out" || { echo "$check_out"; fail "frozen lvqi check on the server"; }
else
  echo "PostgreSQL is not installed here (no initdb): only the driver line of the smoke test was checked"
  cat "$OUT/pg.stderr"
fi

echo "== bad input 1: data dir on a read-only location"
RO="$OUT/readonly"
mkdir -p "$RO"
mounted=""
if [ "$(id -u)" = 0 ]; then
  mount -t tmpfs -o ro tmpfs "$RO" 2>/dev/null && mounted=1 || RO="/sys/lvqi-readonly"  # sysfs refuses mkdir
else
  chmod 555 "$RO"
fi
set +e
out=$(timeout 60 "$GUI" --smoke --data-dir "$RO/data" 2>/dev/null); rc=$?
set -e
[ -n "$mounted" ] && umount "$RO"
echo "exit $rc: $out"
[ "$rc" = 1 ] && grep -q "无法" <<<"$out" || fail "read-only data dir: expected a message and exit 1"

echo "== bad input 2: started twice on the same data dir"
"$GUI" --data-dir "$DATA" >/dev/null 2>&1 &   # the first instance waits in its operator dialog
first=$!
# its single-instance socket (ui/single_instance.py: QLocalServer in the temp dir) appears once it holds the lock
socket="${TMPDIR:-/tmp}/lvqi_desktop-$("$PY" -c "import hashlib,pathlib,sys; print(hashlib.sha1(str(pathlib.Path(sys.argv[1]).resolve()).encode()).hexdigest()[:16])" "$DATA")"
for _ in $(seq 100); do [ -S "$socket" ] && break; sleep 0.2; done
[ -S "$socket" ] || fail "the first instance did not start listening"
set +e
t0=$(date +%s%N)
out=$(timeout 30 "$GUI" --smoke --data-dir "$DATA" 2>/dev/null); rc=$?
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
cli_out=$(timeout 30 "$CLI" --data-dir "$DATA" demo --enterprises 1 2>&1); cli_rc=$?
set -e
kill -0 "$first" 2>/dev/null && alive=yes || alive=no
kill "$first" 2>/dev/null || true
wait "$first" 2>/dev/null || true
echo "second GUI start: exit $rc after $ms ms, output '${out}' (asks the first to raise its window); first still running: $alive"
echo "CLI writer meanwhile: exit $cli_rc: $cli_out"
[ "$rc" = 0 ] && [ "$alive" = yes ] && [ -z "$out" ] || fail "second start: expected a quiet exit 0 while the first runs"
[ "$cli_rc" != 0 ] || fail "CLI writer should be refused while the GUI runs"

echo "== bad input 3: a database written by a newer program version"
NEWER="$OUT/newer-data"
mkdir -p "$NEWER"
cp "$DATA/lvqi.sqlite3" "$NEWER/"
"$PY" -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(\"UPDATE app_meta SET value='9.0.0' WHERE key='min_program_version'\"); c.commit()" "$NEWER/lvqi.sqlite3"
before=$(sha1sum "$NEWER/lvqi.sqlite3" | cut -d' ' -f1)
set +e
out=$(timeout 60 "$GUI" --smoke --data-dir "$NEWER" 2>/dev/null); rc=$?
set -e
echo "exit $rc: $out"
[ "$rc" = 1 ] && grep -q "9.0.0" <<<"$out" || fail "newer database: expected a refusal naming 9.0.0 and exit 1"
[ "$before" = "$(sha1sum "$NEWER/lvqi.sqlite3" | cut -d' ' -f1)" ] || fail "newer database: the file was changed"

if [ "$failures" -gt 0 ]; then
  echo "== frozen build: $failures check(s) FAILED"
  exit 1
fi
echo "== frozen build: all checks passed (one-folder $(du -sh "$APP" | cut -f1))"
[ -z "${CLEAN_OUT:-}" ] || rm -rf "$OUT"   # kept on failure (and when LVQI_FROZEN_OUT is given) for inspection
