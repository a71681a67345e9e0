-- MTR-05 无计量装置档案: no meter on record. Runs only once the dataset holds meters (see
-- the rule's precondition in sql_rules.rs).
SELECT c.cust_no, '-' AS subject, json_object('kind', 'MTR-05') AS evidence, NULL AS amount_yuan
FROM customers c
WHERE c.status = 'active' AND NOT EXISTS (SELECT 1 FROM meters m WHERE m.cust_no = c.cust_no)
