-- ARC-04 户名含经营字样但执行居民电价: resident tariff, business word in the name.
-- :business_keywords is the threshold list as a JSON array; materialized once, rather than
-- parsing the JSON again for every customer. The keywords found are listed in the list's order.
WITH keyword(pos, word) AS MATERIALIZED (
    SELECT pos, value FROM {text_list(:business_keywords)} AS l WHERE value <> ''
)
SELECT c.cust_no, '-' AS subject,
       json_object('kind', 'ARC-04', 'name', c.name, 'keywords', {json_list(k.word, k.pos)}) AS evidence,
       NULL AS amount_yuan
FROM customers c JOIN keyword k ON instr(c.name, k.word) > 0
WHERE c.status = 'active' AND c.price_code = 'RES'
GROUP BY c.cust_no, c.name
