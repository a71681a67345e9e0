-- ARC-12 用电地址不规范: address empty, shorter than address_min_chars code points, or holding
-- none of address_keywords. length() counts code points, but stops at a NUL, which the data
-- contract allows in text: replacing NUL first keeps the count of "the field as given".
WITH keyword(word) AS MATERIALIZED (
    SELECT value FROM json_each(:address_keywords) WHERE value <> ''
)
SELECT cust_no, '-' AS subject,
       json_object('kind', 'ARC-12', 'address', nullif(address, ''), 'chars', chars,
                   'min_chars', :address_min_chars,
                   'no_keyword', json(CASE WHEN has_keyword THEN 'false' ELSE 'true' END)) AS evidence,
       NULL AS amount_yuan
FROM (
    SELECT c.cust_no, c.address,
           length(replace(coalesce(c.address, ''), char(0), ' ')) AS chars,
           EXISTS (SELECT 1 FROM keyword k WHERE instr(c.address, k.word) > 0) AS has_keyword
    FROM customers c WHERE c.status = 'active'
)
WHERE chars = 0 OR chars < :address_min_chars OR NOT has_keyword
