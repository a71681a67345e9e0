-- MTR-03 淘汰型号在运: model in obsolete_models. SQLite's upper() folds ASCII letters only,
-- which is the comparison rules.md asks for.
SELECT m.cust_no, m.meter_no AS subject,
       json_object('kind', 'MTR-03', 'model', m.model) AS evidence,
       NULL AS amount_yuan
FROM meters m JOIN customers c ON c.cust_no = m.cust_no
WHERE c.status = 'active'
  AND upper(m.model) IN (SELECT upper(value) FROM json_each(:obsolete_models))
