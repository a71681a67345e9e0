-- ARC-03 用电类别与执行电价不符: the price code is not the category's tariff.
SELECT cust_no, '-' AS subject,
       json_object('kind', 'ARC-03', 'category', category, 'tariff', tariff, 'price_code', price_code) AS evidence,
       NULL AS amount_yuan
FROM (
    SELECT cust_no, category, price_code,
           CASE category WHEN 'resident' THEN 'RES' WHEN 'commercial' THEN 'COM'
                         WHEN 'large_industry' THEN 'IND' WHEN 'agriculture' THEN 'AGR' END AS tariff
    FROM customers WHERE status = 'active'
) AS c
WHERE price_code IS DISTINCT FROM tariff
