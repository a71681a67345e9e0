#!/usr/bin/env bash
# Full scan against incremental rescan after a nightly delta (issue 15 item 3: the rescan
# ≤ 0.3× a full scan, same findings). A demo of N customers ending 2026-10 is imported and
# scanned as of 2026-10-31; `jicha demo --delta` makes the next night's export (1 % archive
# edits, 0.1 % reading edits, a 2026-11 bill for every customer: after the as-of month) and it
# is imported. The dataset is then copied ROUNDS times twice; the copies are scanned in turn,
# alternating `scan` (incremental) and `scan --full`, each on its own copy, and their times and
# findings compared.
# Usage: bench/scan_incremental.sh JICHA_BINARY WORKDIR [CUSTOMERS=100000] [ROUNDS=3]
set -euo pipefail
bin=$1; work=$2; n=${3:-100000}; rounds=${4:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$work"; cd "$work"
rm -rf e0 e1 base.jicha* inc*.jicha* full*.jicha*
"$bin" --today 2026-11-01 demo --customers "$n" --end 2026-10 --out e0 >/dev/null
"$bin" --db base.jicha --today 2026-11-01 import e0 >/dev/null
"$bin" --db base.jicha --today 2026-11-01 scan --as-of 2026-10-31 >/dev/null
"$bin" --today 2026-11-02 demo --delta --from e0 --out e1 >/dev/null
"$bin" --db base.jicha --today 2026-11-02 import e1 >/dev/null
# Both files of the dataset (the workflow file and its facts file) whole, without their WALs.
for f in base.jicha base.jicha.facts; do sqlite3 "$f" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null; done
for k in $(seq 1 "$rounds"); do
  for kind in inc full; do
    for f in base.jicha*; do
      case "$f" in *-wal|*-shm) continue;; esac
      cp "$f" "$kind$k${f#base}"
    done
  done
done
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for k in $(seq 1 "$rounds"); do
  for kind in inc full; do
    flag=""; [ "$kind" = full ] && flag="--full"
    t=$( { /usr/bin/time -f '%e %U %S %M' "$bin" --db "$kind$k.jicha" --today 2026-11-02 scan --as-of 2026-10-31 $flag --format json > "$kind$k.json"; } 2>&1 | tail -1)
    echo "$kind round $k: wall user sys maxrss_kb = $t  load $(cut -d' ' -f1 /proc/loadavg)  $(python3 -c "import json,sys; s=json.load(open('$kind$k.json')); print(s['kind'], 'rejudged', s['rejudged'], 'hits', s['totals']['hits'], 'new', s['totals']['new'], 'cleared', s['totals']['cleared'])")"
  done
done
# The same findings: every column but nothing excluded.
for k in $(seq 1 "$rounds"); do
  a=$(sqlite3 "inc$k.jicha" "SELECT * FROM findings ORDER BY id" | sha256sum)
  b=$(sqlite3 "full$k.jicha" "SELECT * FROM findings ORDER BY id" | sha256sum)
  [ "$a" = "$b" ] && echo "round $k: findings identical" || echo "round $k: FINDINGS DIFFER"
done
