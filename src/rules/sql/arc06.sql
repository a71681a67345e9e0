-- ARC-06 容量达大工业标准仍按单一制: commercial with large-industry capacity, billed single-part.
SELECT cust_no, '-' AS subject,
       json_object('kind', 'ARC-06', 'capacity_kva', capacity_kva, 'min_kva', :large_industry_min_kva) AS evidence,
       NULL AS amount_yuan
FROM customers
WHERE status = 'active' AND category = 'commercial' AND billing_mode = 'single'
  AND capacity_kva >= :large_industry_min_kva - :tol
