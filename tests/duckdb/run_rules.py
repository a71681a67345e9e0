#!/usr/bin/env python3
"""Runs SQL on DuckDB for tests/dialect_duckdb.rs.

Reads one JSON document on stdin:
  {"tables": [{"name": T, "columns": [[column, DUCKDB_TYPE], ...], "rows": [[v, ...], ...]}],
   "queries": [{"id": ID, "precondition": SQL or null, "sql": SQL, "params": {name: value}}]}
creates the tables (with the types given) in an in-memory DuckDB, loads the rows, runs each
query (skipped when its precondition answers false) and writes on stdout:
  {"duckdb": VERSION, "results": [{"id": ID, "ran": bool, "rows": [[v, ...]], "error": text or null}]}
A query that fails is reported with DuckDB's message, not raised: the test says which rule.
"""
import decimal
import json
import sys

try:
    import duckdb
except ImportError:
    sys.stderr.write("the duckdb Python package is missing: pip install duckdb\n")
    sys.exit(3)


def plain(v):
    if isinstance(v, decimal.Decimal):
        return float(v)
    if isinstance(v, (str, int, float, bool)) or v is None:
        return v
    return str(v)


def main():
    doc = json.load(sys.stdin)
    con = duckdb.connect(":memory:")
    for t in doc["tables"]:
        cols = ", ".join(f'"{c}" {ty}' for c, ty in t["columns"])
        con.execute(f'CREATE TABLE "{t["name"]}" ({cols})')
        if t["rows"]:
            marks = ", ".join("?" for _ in t["columns"])
            con.executemany(f'INSERT INTO "{t["name"]}" VALUES ({marks})', t["rows"])
    results = []
    for q in doc["queries"]:
        out = {"id": q["id"], "ran": False, "rows": [], "error": None}
        try:
            pre = q.get("precondition")
            if pre is None or con.execute(pre).fetchone()[0]:
                params = q.get("params") or {}
                rows = con.execute(q["sql"], params).fetchall() if params else con.execute(q["sql"]).fetchall()
                out["ran"] = True
                out["rows"] = [[plain(v) for v in r] for r in rows]
        except duckdb.Error as e:
            out["error"] = str(e)
        results.append(out)
    json.dump({"duckdb": duckdb.__version__, "results": results}, sys.stdout, ensure_ascii=False)


main()
