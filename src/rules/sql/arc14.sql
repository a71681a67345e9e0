-- ARC-14 平均电价异常: over the latest three bill rows (periods up to the month of D; three rows
-- needed), Σkwh ≥ avg_price_min_kwh and Σamount / Σkwh outside [price_min_<code>,
-- price_max_<code>] of the customer's price code (0.005 tolerance). Subject: the latest period.
WITH bound(code, lo, hi) AS (
    VALUES ('RES', :price_min_res, :price_max_res), ('COM', :price_min_com, :price_max_com),
           ('IND', :price_min_ind, :price_max_ind), ('AGR', :price_min_agr, :price_max_agr)
),
-- The third-latest period is one descending seek per customer on the bills key (cust_no,
-- period), and its rows up to the month of D one range of that key; a customer without a
-- third-latest row has fewer than three and is not judged.
third AS (
    SELECT c.cust_no, c.price_code,
           (SELECT b.period FROM bills b WHERE b.cust_no = c.cust_no AND b.period <= :max_period
             ORDER BY b.period DESC LIMIT 1 OFFSET 2) AS first
    FROM customers c WHERE c.status = 'active'
),
latest AS (
    SELECT t.cust_no, t.price_code, t.first, max(b.period) AS last,
           sum(b.kwh) AS kwh, sum(b.amount) AS amount
    FROM third t JOIN bills b ON b.cust_no = t.cust_no AND b.period BETWEEN t.first AND :max_period
    WHERE t.first IS NOT NULL
    GROUP BY t.cust_no
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
    FROM latest l JOIN bound bd ON bd.code = l.price_code
    WHERE l.kwh >= :avg_price_min_kwh - :tol AND l.kwh > 0
)
WHERE below OR above
