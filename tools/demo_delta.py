#!/usr/bin/env python3
"""The next night's export of a `jicha demo` export (issue 15, "Deltas"): a documented example
of a nightly delta, written as a full export so that it imports with plain `jicha import`.

    python3 tools/demo_delta.py --from DEMO_DIR --out NEXT_DIR [--seed 1]

- 1 % of customers get an archive edit: their capacity_kva grows by 50 kVA. Every second one
  is backed by an `increase` application completed five days before the first day of the
  month after the new period (import the delta within 25 days of that day and HIS-02 stays
  silent for it); the others are not, and HIS-02 flags them (subject `capacity_kva`).
- Every customer gets a bill for the month after the export's last period, continuing its
  readings (prev = the last curr_reading, same kWh, so BIL-01/BIL-02 hold).
- 0.1 % of customers get their last month's reading edited (+500 kWh, curr_reading moved to
  match): HIS-01 flags them.
Every other row is copied unchanged, so a re-import rewrites only what changed.
"""
import argparse, csv, hashlib, os, shutil, datetime

def pick(seed, cust, salt, per):
    h = hashlib.sha256(f"{seed}:{salt}:{cust}".encode()).digest()
    return int.from_bytes(h[:8], "little") % per == 0

def next_period(p):
    y, m = int(p[:4]), int(p[5:7])
    return f"{y + (m == 12)}-{m % 12 + 1:02d}"

def num(x):
    v = float(x)
    return str(int(v)) if v == int(v) else f"{v:.2f}".rstrip("0").rstrip(".")

def main():
    a = argparse.ArgumentParser()
    a.add_argument("--from", dest="src", required=True)
    a.add_argument("--out", required=True)
    a.add_argument("--seed", type=int, default=1)
    o = a.parse_args()
    os.makedirs(o.out, exist_ok=True)
    for f in os.listdir(o.src):
        if f not in ("customers.csv", "bills.csv", "applications.csv"):
            shutil.copy(os.path.join(o.src, f), os.path.join(o.out, f))
    edited, backed, readings = set(), set(), set()
    with open(os.path.join(o.src, "customers.csv"), newline="", encoding="utf-8") as fi, \
         open(os.path.join(o.out, "customers.csv"), "w", newline="", encoding="utf-8") as fo:
        r = csv.DictReader(fi); w = csv.DictWriter(fo, r.fieldnames, lineterminator="\n"); w.writeheader()
        for row in r:
            c = row["cust_no"]
            if pick(o.seed, c, "archive", 100):
                edited.add(c)
                if len(edited) % 2 == 0:
                    backed.add(c)
                row["capacity_kva"] = num(float(row["capacity_kva"]) + 50)
            if pick(o.seed, c, "reading", 1000):
                readings.add(c)
            w.writerow(row)
    last = {}
    with open(os.path.join(o.src, "bills.csv"), newline="", encoding="utf-8") as fi:
        r = csv.DictReader(fi); fields = r.fieldnames
        rows = list(r)
    for row in rows:
        c = row["cust_no"]
        if c not in last or row["period"] > last[c]["period"]:
            last[c] = row
    top = max(r["period"] for r in rows)
    new_p = next_period(top)
    after = next_period(new_p)
    basis_day = (datetime.date(int(after[:4]), int(after[5:7]), 1) - datetime.timedelta(days=5)).isoformat()
    for c in readings:
        b = last.get(c)
        if b is None:
            continue
        mult = float(b["multiplier"]) or 1.0
        b["curr_reading"] = num(float(b["curr_reading"]) + 500 / mult)
        b["kwh"] = num(float(b["kwh"]) + 500)
    with open(os.path.join(o.out, "bills.csv"), "w", newline="", encoding="utf-8") as fo:
        w = csv.DictWriter(fo, fields, lineterminator="\n"); w.writeheader()
        for row in rows:
            w.writerow(row)
        for c, b in last.items():
            if b["period"] != top:
                continue
            mult = float(b["multiplier"]) or 1.0
            kwh, loss = float(b["kwh"]), float(b["loss_kwh"])
            prev = float(b["curr_reading"])
            n = dict(b)
            n.update(period=new_p, read_on=f"{new_p}-25", prev_reading=num(prev),
                     curr_reading=num(prev + max(kwh - loss, 0) / mult))
            w.writerow(n)
    src_apps = os.path.join(o.src, "applications.csv")
    with open(os.path.join(o.out, "applications.csv"), "w", newline="", encoding="utf-8") as fo:
        fields = ["app_no", "cust_no", "kind", "accepted_on", "completed_on", "limit_days"]
        if os.path.exists(src_apps):
            with open(src_apps, newline="", encoding="utf-8") as fi:
                r = csv.DictReader(fi); fields = r.fieldnames
                w = csv.DictWriter(fo, fields, lineterminator="\n"); w.writeheader()
                for row in r:
                    w.writerow(row)
        else:
            w = csv.DictWriter(fo, fields, lineterminator="\n"); w.writeheader()
        for k, c in enumerate(sorted(backed)):
            w.writerow({"app_no": f"DELTA{o.seed}-{k:06d}", "cust_no": c, "kind": "increase",
                        "accepted_on": f"{new_p}-01", "completed_on": basis_day, "limit_days": "30"})
    print(f"period {new_p}: {len(edited)} archive edits ({len(backed)} backed, import by "
          f"{after}-26), {len(readings)} reading edits, {len(last)} customers billed")

if __name__ == "__main__":
    main()
