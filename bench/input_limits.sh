#!/usr/bin/env bash
# Memory and time of `jicha import` on hostile inputs (issue 9 item 7): a customers.csv header
# of 10,000,018 columns, one of 1,000,018 columns (a million "column not in the contract"
# warnings before the limits), a 200 MB quoted field on line 2, and a quote opened on line 2
# and never closed before 200 MB more. Prints rc, max RSS, wall time and output lines of each.
# Usage: bench/input_limits.sh JICHA_BINARY [WORKDIR]   (WORKDIR default: a new temp dir)
set -euo pipefail
bin=$(realpath "$1")
work=${2:-$(mktemp -d)}
mkdir -p "$work" && cd "$work"
python3 - <<'PY'
import os
H = "cust_no,name,address,contact,phone,category,price_code,billing_mode,voltage_kv,capacity_kva,pf_standard,hslm,temporary,station,district,opened_on,status,closed_on"
ROW = "3301000001,张三商店,杭州市西湖区文三路1号,李四,13800000000,commercial,COM,single,0.38,50,0.90,0,0,城西供电所,西湖区,2020-01-05,active,"
def create(case):
    os.makedirs(case, exist_ok=True)
    return open(os.path.join(case, "customers.csv"), "w")
for case, extra in [("hdr10m", 10_000_000), ("warn1m", 1_000_000)]:
    if not os.path.exists(case):
        with create(case) as f:
            f.write(H + ",x" * extra + "\n" + ROW + "," * extra + "\n")
if not os.path.exists("field200m"):
    with create("field200m") as f:
        f.write(H + "\n" + ROW.replace("张三商店", '"'))
        for _ in range(200):
            f.write("y" * (1 << 20))
        f.write('"\n' + ROW.replace("3301000001", "3301000002") + "\n")
if not os.path.exists("quote200m"):
    with create("quote200m") as f:
        f.write(H + "\n" + ROW.replace("张三商店", '"张三商店') + "\n")
        line = ROW + "\n"
        f.write(line * ((200 << 20) // len(line.encode())))
PY
for case in hdr10m warn1m field200m quote200m; do
  rm -f "db-$case.jicha"*
  set +e
  /usr/bin/time -v "$bin" --db "db-$case.jicha" import "$case" >"out-$case.txt" 2>"err-$case.txt"
  rc=$?
  set -e
  rss=$(awk '/Maximum resident/ {print $NF}' "err-$case.txt")
  wall=$(awk '/Elapsed \(wall/ {print $NF}' "err-$case.txt")
  lines=$(( $(wc -l <"out-$case.txt") + $(grep -c '^jicha: \|^  ' "err-$case.txt" || true) ))
  echo "$case rc=$rc max_rss_kb=$rss wall=$wall output_lines~$lines"
  grep -m1 '^jicha: ' "err-$case.txt" | cut -c1-200 || true
done
