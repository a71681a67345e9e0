-- MTR-03 淘汰型号在运: model in obsolete_models. Only ASCII letters are folded to upper case,
-- which is the comparison rules.md asks for ({ascii_upper}, dialect.rs).
SELECT m.cust_no, m.meter_no AS subject,
       json_object('kind', 'MTR-03', 'model', m.model) AS evidence,
       NULL AS amount_yuan
FROM meters m JOIN customers c ON c.cust_no = m.cust_no
WHERE c.status = 'active'
  AND {ascii_upper(m.model)} IN (SELECT {ascii_upper(l.value)} FROM {text_list(:obsolete_models)} AS l)
