-- ARC-11 在用客户欠费: Σ(amount − paid) over the bills whose period is at least
-- arrears_grace_months before the month of D (period ≤ month(D) − grace) is above
-- arrears_min_yuan (0.005 tolerance). amount_yuan: that sum. Bills paid in full add exactly 0
-- and are left out (evidence counts the bills with a balance); the bills are read in key
-- order, so the sums stream per customer. A grace too large for SQLite's calendar (before
-- year 0) gives no cut-off period, hence no hit: no bill is that old.
WITH cut(through) AS (
    SELECT substr(date(:as_of, 'start of month', '-' || :arrears_grace_months || ' months'), 1, 7)
)
SELECT d.cust_no, '-' AS subject,
       json_object('kind', 'ARC-11', 'bills', d.n, 'through', cut.through, 'unpaid', d.due,
                   'min_yuan', :arrears_min_yuan) AS evidence,
       d.due AS amount_yuan
FROM (
    SELECT b.cust_no, round(sum(b.amount - b.paid), 6) AS due, count(*) AS n
    FROM bills b
    WHERE b.period <= (SELECT through FROM cut) AND b.amount <> b.paid
    GROUP BY b.cust_no
) d, cut
WHERE d.due > :arrears_min_yuan + :tol
  AND EXISTS (SELECT 1 FROM customers c WHERE c.cust_no = d.cust_no AND c.status = 'active')
