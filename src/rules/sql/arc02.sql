-- ARC-02 容量与供电电压不匹配: capacity above what the supply voltage allows.
-- 10 kV is compared with the tolerance; voltages with no bound (35 kV, 110 kV) never fire.
SELECT cust_no, '-' AS subject,
       json_object('kind', 'ARC-02', 'capacity_kva', capacity_kva, 'voltage_kv', voltage_kv,
                   'max_kva', max_kva, 'bound', bound) AS evidence,
       NULL AS amount_yuan
FROM (
    SELECT cust_no, capacity_kva, voltage_kv,
           CASE WHEN voltage_kv <= 0.22 + :tol THEN :low220_max_kva
                WHEN voltage_kv <= 0.38 + :tol THEN :low380_max_kva
                WHEN abs(voltage_kv - 10) <= :tol THEN :mv10_max_kva END AS max_kva,
           CASE WHEN voltage_kv <= 0.22 + :tol THEN 'low220_max_kva'
                WHEN voltage_kv <= 0.38 + :tol THEN 'low380_max_kva'
                ELSE 'mv10_max_kva' END AS bound
    FROM customers WHERE status = 'active'
) AS c
WHERE max_kva IS NOT NULL AND capacity_kva > max_kva + :tol
