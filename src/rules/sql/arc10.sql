-- ARC-10 新立户未按期抄表收费: P = the month of opened_on, at or after the earliest period of
-- any bill row (up to the month of D); the month of D is after P + 1; no bill for P nor for
-- P + 1. Runs only once the dataset holds any bill rows (precondition in sql_rules.rs).
WITH earliest(period) AS (SELECT min(period) FROM bills WHERE period <= :max_period)
SELECT c.cust_no, c.p AS subject,
       json_object('kind', 'ARC-10', 'opened_on', c.opened_on, 'period', c.p, 'next_period', c.p1,
                   'first_bill', (SELECT min(b.period) FROM bills b
                                   WHERE b.cust_no = c.cust_no AND b.period <= :max_period),
                   'as_of', :as_of) AS evidence,
       NULL AS amount_yuan
FROM (SELECT cust_no, opened_on, substr(opened_on, 1, 7) AS p,
             substr(date(opened_on, 'start of month', '+1 month'), 1, 7) AS p1
      FROM customers WHERE status = 'active') c
JOIN earliest e ON c.p >= e.period
WHERE :max_period > c.p1
  AND NOT EXISTS (SELECT 1 FROM bills b WHERE b.cust_no = c.cust_no AND b.period IN (c.p, c.p1))
