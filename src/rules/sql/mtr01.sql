-- MTR-01 计费倍率与互感器变比不符: the meter's multiplier is not CT ratio × PT ratio.
SELECT m.cust_no, m.meter_no AS subject,
       json_object('kind', 'MTR-01', 'multiplier', m.multiplier, 'ct_ratio', m.ct_ratio, 'pt_ratio', m.pt_ratio) AS evidence,
       NULL AS amount_yuan
FROM meters m JOIN customers c ON c.cust_no = m.cust_no
WHERE c.status = 'active' AND abs(m.multiplier - m.ct_ratio * m.pt_ratio) > :tol
