-- ARC-04 户名含经营字样但执行居民电价: resident tariff, business word in the name.
-- :business_keywords is the threshold list as a JSON array; materialized once, rather than
-- parsing the JSON again for every customer.
WITH keyword(word) AS MATERIALIZED (
    SELECT value FROM json_each(:business_keywords) WHERE value <> ''
)
SELECT c.cust_no, '-' AS subject,
       json_object('kind', 'ARC-04', 'name', c.name, 'keywords', json_group_array(k.word)) AS evidence,
       NULL AS amount_yuan
FROM customers c JOIN keyword k ON instr(c.name, k.word) > 0
WHERE c.status = 'active' AND c.price_code = 'RES'
GROUP BY c.cust_no
