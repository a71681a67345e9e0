-- ARC-15 力率考核标准不符: non-resident, capacity from pf_min_kva, a power-factor standard set,
-- and not the one due (0.005 tolerance): 0.80 for agriculture; 0.90 for large industry at
-- 10 kV or above with capacity from pf_high_min_kva; 0.85 otherwise.
SELECT cust_no, '-' AS subject,
       json_object('kind', 'ARC-15', 'category', category, 'voltage_kv', voltage_kv,
                   'capacity_kva', capacity_kva, 'pf_standard', pf_standard, 'due', due,
                   'basis', basis) AS evidence,
       NULL AS amount_yuan
FROM (
    SELECT cust_no, category, voltage_kv, capacity_kva, pf_standard,
           CASE basis WHEN 'agriculture' THEN 0.80 WHEN 'large_industry_hv' THEN 0.90 ELSE 0.85 END AS due,
           basis
    FROM (
        SELECT *,
               CASE WHEN category = 'agriculture' THEN 'agriculture'
                    WHEN category = 'large_industry' AND voltage_kv >= 10 - :tol
                         AND capacity_kva >= :pf_high_min_kva - :tol THEN 'large_industry_hv'
                    ELSE 'other' END AS basis
        FROM customers
        WHERE status = 'active' AND category <> 'resident' AND pf_standard IS NOT NULL
          AND capacity_kva >= :pf_min_kva - :tol
    ) AS c
) AS d
WHERE abs(pf_standard - due) > :tol
