-- MTR-01 计费倍率与互感器变比不符: the meter's multiplier is not CT ratio × PT ratio.
SELECT m.cust_no, m.meter_no AS subject,
       printf('multiplier %g ≠ CT %g × PT %g = %g', m.multiplier, m.ct_ratio, m.pt_ratio, m.ct_ratio * m.pt_ratio) AS evidence,
       NULL AS amount_yuan
FROM meters m JOIN customers c ON c.cust_no = m.cust_no
WHERE c.status = 'active' AND abs(m.multiplier - m.ct_ratio * m.pt_ratio) > :tol
