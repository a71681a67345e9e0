-- MTR-04 500kVA及以上高供低计: HV supply metered on the LV side at hslm_max_kva or more.
SELECT cust_no, '-' AS subject,
       json_object('kind', 'MTR-04', 'capacity_kva', capacity_kva, 'max_kva', :hslm_max_kva) AS evidence,
       NULL AS amount_yuan
FROM customers
WHERE status = 'active' AND hslm = 1 AND capacity_kva >= :hslm_max_kva - :tol
