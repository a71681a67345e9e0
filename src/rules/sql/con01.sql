-- CON-01 供用电合同缺失或超期: no contract, or the latest expires_on is before D. Runs only once
-- the dataset holds contracts (precondition in sql_rules.rs).
SELECT cust_no, '-' AS subject,
       CASE WHEN latest IS NULL THEN json_object('kind', 'CON-01.none')
            ELSE json_object('kind', 'CON-01.expired', 'expires_on', latest, 'as_of', :as_of) END AS evidence,
       NULL AS amount_yuan
FROM (
    SELECT c.cust_no, (SELECT max(k.expires_on) FROM contracts k WHERE k.cust_no = c.cust_no) AS latest
    FROM customers c WHERE c.status = 'active'
) AS l
WHERE latest IS NULL OR latest < :as_of
