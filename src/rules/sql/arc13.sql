-- ARC-13 新装增容变更专变客户（重点检查）: a customer at 10 kV or above with capacity from
-- focus_min_kva, and a new / increase / change application completed within focus_recent_days
-- days before D (D − n ≤ completed_on ≤ D); one finding per application. Runs only once the
-- dataset holds any application rows (precondition in sql_rules.rs).
SELECT c.cust_no, a.app_no AS subject,
       json_object('kind', 'ARC-13', 'app_kind', a.kind, 'completed_on', a.completed_on,
                   'days', {days_between(a.completed_on, :as_of)},
                   'recent_days', :focus_recent_days, 'voltage_kv', c.voltage_kv,
                   'capacity_kva', c.capacity_kva, 'min_kva', :focus_min_kva) AS evidence,
       NULL AS amount_yuan
FROM applications a JOIN customers c ON c.cust_no = a.cust_no
WHERE c.status = 'active' AND c.voltage_kv >= 10 - :tol AND c.capacity_kva >= :focus_min_kva - :tol
  AND a.kind IN ('new', 'increase', 'change')
  AND a.completed_on <= :as_of
  AND {days_between(a.completed_on, :as_of)} <= :focus_recent_days
