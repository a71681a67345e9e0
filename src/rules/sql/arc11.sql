-- ARC-11 在用客户欠费: Σ(amount − paid) over the bills whose period is at least
-- arrears_grace_months before the month of D (period ≤ month(D) − grace) is above
-- arrears_min_yuan (0.005 tolerance). amount_yuan: that sum. A grace too large for SQLite's
-- calendar (before year 0) gives no cut-off period, hence no hit: no bill is that old.
WITH cut(through) AS (
    SELECT substr(date(:as_of, 'start of month', '-' || :arrears_grace_months || ' months'), 1, 7)
)
SELECT cust_no, '-' AS subject,
       json_object('kind', 'ARC-11', 'bills', n, 'through', through, 'unpaid', due,
                   'min_yuan', :arrears_min_yuan) AS evidence,
       due AS amount_yuan
FROM (
    SELECT b.cust_no, cut.through, round(sum(b.amount - b.paid), 6) AS due, count(*) AS n
    FROM cut JOIN bills b ON b.period <= cut.through
    JOIN customers c ON c.cust_no = b.cust_no AND c.status = 'active'
    GROUP BY b.cust_no
)
WHERE due > :arrears_min_yuan + :tol
