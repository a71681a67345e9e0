-- ARC-04 户名含经营字样但执行居民电价: resident tariff, business word in the name.
-- :business_keywords is the threshold list as a JSON array.
SELECT c.cust_no, '-' AS subject,
       'tariff RES but the name "' || c.name || '" contains ' || group_concat('"' || k.value || '"', ', ') AS evidence,
       NULL AS amount_yuan
FROM customers c, json_each(:business_keywords) k
WHERE c.status = 'active' AND c.price_code = 'RES' AND k.value <> '' AND instr(c.name, k.value) > 0
GROUP BY c.cust_no
