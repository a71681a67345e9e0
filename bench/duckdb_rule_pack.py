#!/usr/bin/env python3
"""The rule pack on DuckDB, straight from an export directory (the data-contract CSV files), as a
province warehouse would run it (docs/scale.md). Times the load and each rule.

    cargo run --release --example rule_sql -- duckdb /tmp/pack AS_OF
    python3 bench/duckdb_rule_pack.py EXPORT_DIR /tmp/pack [HITS.csv] [DB_FILE]

Writes every hit as `rule,cust_no,subject,evidence` to HITS.csv when given; DB_FILE keeps the
DuckDB database on disk (default: in memory). Needs `pip install duckdb`.
"""
import csv
import glob
import json
import os
import re
import sys
import time

import duckdb

D, I, V = "DOUBLE", "BIGINT", "VARCHAR"
# The data contract's columns and their types (docs/data-contract.md, src/db/sql/001_*.sql).
TYPES = {
    "customers": dict(voltage_kv=D, capacity_kva=D, pf_standard=D, hslm=I, temporary=I),
    "meters": dict(ct_ratio=D, pt_ratio=D, multiplier=D),
    "bills": dict(prev_reading=D, curr_reading=D, multiplier=D, kwh=D, loss_kwh=D, amount=D, paid=D),
    "suspensions": dict(capacity_kva=D),
    "contracts": {},
    "applications": dict(limit_days=I),
    "external_findings": {},
}


def main():
    export, pack = sys.argv[1], sys.argv[2]
    hits_out = sys.argv[3] if len(sys.argv) > 3 else None
    con = duckdb.connect(sys.argv[4] if len(sys.argv) > 4 else ":memory:")
    threads = os.environ.get("DUCKDB_THREADS")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    t0 = time.time()
    for table, types in TYPES.items():
        path = os.path.join(export, f"{table}.csv")
        with open(path, encoding="utf-8") as f:
            header = next(csv.reader(f))
        cols = {c: types.get(c, V) for c in header}
        con.execute(
            f"CREATE OR REPLACE TABLE {table} AS SELECT * FROM read_csv(?, header = true, "
            f"columns = {cols!r}, quote = '\"', escape = '\"')",
            [path],
        )
    load = time.time() - t0
    print(f"load {load:.2f} s")
    params = json.load(open(os.path.join(pack, "params.json")))
    total, hits = 0.0, []
    for path in sorted(glob.glob(os.path.join(pack, "*.sql"))):
        sql = open(path, encoding="utf-8").read()
        rule = os.path.basename(path)[:-4]
        first = sql.splitlines()[0]
        t = time.time()
        if first.startswith("-- precondition: "):
            if not con.execute(first[len("-- precondition: "):]).fetchone()[0]:
                print(f"{rule:8} skipped (precondition false)")
                continue
        used = {k: v for k, v in params.items() if re.search(r"\$" + k + r"\b", sql)}
        rows = con.execute(sql, used).fetchall()
        dt = time.time() - t
        total += dt
        print(f"{rule:8} {len(rows):8} hits {dt:7.3f} s")
        hits.extend((rule, r[0], r[1], r[2]) for r in rows)
    print(f"rules {total:.2f} s, {len(hits)} hits; load + rules {load + total:.2f} s")
    if hits_out:
        with open(hits_out, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["rule", "cust_no", "subject", "evidence"])
            w.writerows(hits)


main()
