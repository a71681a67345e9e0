-- ARC-07 未设力率考核标准: non-resident, capacity from pf_min_kva, no power-factor standard.
SELECT cust_no, '-' AS subject,
       json_object('kind', 'ARC-07', 'category', category, 'capacity_kva', capacity_kva, 'min_kva', :pf_min_kva) AS evidence,
       NULL AS amount_yuan
FROM customers
WHERE status = 'active' AND category <> 'resident' AND pf_standard IS NULL
  AND capacity_kva >= :pf_min_kva - :tol
