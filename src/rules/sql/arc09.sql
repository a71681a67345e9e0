-- ARC-09 销户后未结清电费: closed customers whose bills (up to the month of D) leave more than
-- 0.01 元 unpaid. The 0.01 bound is used alone; rounding to 1e-6 removes binary noise only.
-- amount_yuan: the unpaid balance, sum of amount − paid.
SELECT cust_no, '-' AS subject,
       json_object('kind', 'ARC-09', 'closed_on', nullif(closed_on, ''), 'bills', n, 'unpaid', due) AS evidence,
       due AS amount_yuan
FROM (
    SELECT c.cust_no, c.closed_on,
           (SELECT round(sum(b.amount - b.paid), 6) FROM bills b
             WHERE b.cust_no = c.cust_no AND b.period <= :max_period) AS due,
           (SELECT count(*) FROM bills b WHERE b.cust_no = c.cust_no AND b.period <= :max_period) AS n
    FROM customers c WHERE c.status = 'closed'
) AS d
WHERE due > 0.01
