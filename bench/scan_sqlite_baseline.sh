#!/usr/bin/env bash
# The time SQLite itself needs for the scan's queries: every SQL rule of src/rules/sql and
# the two ordered reads of the bill pass (src/rules/billing.rs), run by the sqlite3 CLI on a
# dataset with the default thresholds, each wrapped in count(*) so that no output is printed.
# Compare its total with `jicha scan` on the same dataset (BENCHMARKS.md). ARC-04's aggregate
# ORDER BY needs sqlite3 3.44 or later (older CLIs report a syntax error for that one rule).
# Usage: bench/scan_sqlite_baseline.sh DATASET AS_OF   (e.g. /work/s1m.jicha 2026-11-23)
set -euo pipefail
db=$1; as_of=$2
root=$(cd "$(dirname "$0")/.." && pwd)
period=${as_of:0:7}
y=${as_of:0:4}; rest=${as_of:4}
script=$(mktemp)
sqldir=$(mktemp -d)
(cd "$root" && cargo run --release --quiet --example rule_sql -- sqlite "$sqldir" "$as_of" >/dev/null)
{
  echo ".timer on"
  echo ".param init"
  # Text values need both quotes: the CLI evaluates an unquoted '2026-11' as 2026 - 11.
  echo ".param set :as_of \"'$as_of'\""
  echo ".param set :max_period \"'$period'\""
  echo ".param set :temporary_cutoff \"'$((y-3))$rest'\""
  echo ".param set :rotation_cutoff \"'$((y-8))$rest'\""
  echo ".param set :tol 0.005"
  for p in low220_max_kva:10 low380_max_kva:100 mv10_max_kva:8000 large_industry_min_kva:315 \
           pf_min_kva:100 temporary_max_years:3 rotation_years:8 hslm_max_kva:500 \
           suspend_min_days:15 reduce_min_days:183 reduce_max_days:730; do
    echo ".param set :${p%%:*} ${p##*:}"
  done
  # Lists are JSON arrays, as the scan binds them (read with json_each).
  cat <<'LISTS'
.param set :business_keywords "'[\"公司\",\"商行\",\"商店\",\"超市\",\"酒店\",\"宾馆\",\"饭店\",\"餐厅\",\"餐饮\",\"网吧\",\"工厂\",\"加工厂\",\"门市\",\"批发\"]'"
.param set :obsolete_models "'[\"DD28\",\"DD86\",\"DD862\",\"DT8\",\"DS8\"]'"
LISTS
  echo ".param list"
  # The rule files hold dialect marks ({days_between(…)}, src/rules/dialect.rs): the example
  # writes them as SQLite spells them.
  for f in "$sqldir"/*.sql; do
    echo "SELECT '$(basename "$f")', count(*) FROM ($(sed -e 's/;[[:space:]]*$//' "$f" | grep -v '^[[:space:]]*--'));"
  done
  echo "SELECT 'bill pass', count(*), sum(b.kwh + b.amount + b.prev_reading + b.curr_reading + b.multiplier + b.loss_kwh + c.hslm + c.capacity_kva), sum(length(c.category)) FROM (SELECT 1) CROSS JOIN customers c CROSS JOIN bills b ON b.cust_no = c.cust_no WHERE c.status = 'active' AND b.period <= :max_period;"
  echo "SELECT 'meter facts', count(*) FROM (SELECT cust_no, count(*), min(meter_no), max(multiplier), min(CASE WHEN abs(multiplier - ct_ratio * pt_ratio) > :tol THEN meter_no END) FROM meters GROUP BY cust_no ORDER BY cust_no);"
} > "$script"
start=$(date +%s.%N)
sqlite3 -readonly "$db" < "$script"
end=$(date +%s.%N)
echo "total wall: $(echo "$end - $start" | bc) s"
rm -rf "$script" "$sqldir"
