-- ARC-14 平均电价异常: over the latest three bill rows (periods up to the month of D; three rows
-- needed), Σkwh ≥ avg_price_min_kwh and Σamount / Σkwh outside [price_min_<code>,
-- price_max_<code>] of the customer's price code (0.005 tolerance). Subject: the latest period.
WITH bound(code, lo, hi) AS (
    VALUES ('RES', :price_min_res, :price_max_res), ('COM', :price_min_com, :price_max_com),
           ('IND', :price_min_ind, :price_max_ind), ('AGR', :price_min_agr, :price_max_agr)
),
ranked AS (
    SELECT b.cust_no, b.period, b.kwh, b.amount,
           row_number() OVER (PARTITION BY b.cust_no ORDER BY b.period DESC) AS k
    FROM bills b JOIN customers c ON c.cust_no = b.cust_no AND c.status = 'active'
    WHERE b.period <= :max_period
),
latest AS (
    SELECT cust_no, min(period) AS first, max(period) AS last, count(*) AS n,
           sum(kwh) AS kwh, sum(amount) AS amount
    FROM ranked WHERE k <= 3 GROUP BY cust_no
)
SELECT cust_no, last AS subject,
       json_object('kind', 'ARC-14', 'price_code', code, 'first', first, 'last', last,
                   'kwh', kwh, 'amount', amount, 'price', price,
                   'bound', CASE WHEN below THEN lo ELSE hi END,
                   'below', json(CASE WHEN below THEN 'true' ELSE 'false' END)) AS evidence,
       NULL AS amount_yuan
FROM (
    SELECT l.*, bd.code, bd.lo, bd.hi, l.amount / l.kwh AS price,
           l.amount / l.kwh < bd.lo - :tol AS below,
           l.amount / l.kwh > bd.hi + :tol AS above
    FROM latest l JOIN customers c ON c.cust_no = l.cust_no
    JOIN bound bd ON bd.code = c.price_code
    WHERE l.n = 3 AND l.kwh >= :avg_price_min_kwh - :tol AND l.kwh > 0
)
WHERE below OR above
