-- ARC-05 大工业未执行两部制: large industry must be billed two-part.
SELECT cust_no, '-' AS subject,
       json_object('kind', 'ARC-05', 'billing_mode', billing_mode) AS evidence,
       NULL AS amount_yuan
FROM customers
WHERE status = 'active' AND category = 'large_industry' AND billing_mode <> 'two_part'
