-- ARC-08 临时用电超期: temporary connection opened strictly before D − temporary_max_years years
-- (:temporary_cutoff, computed with calendar arithmetic: 29 Feb → 28 Feb).
SELECT cust_no, '-' AS subject,
       json_object('kind', 'ARC-08', 'opened_on', opened_on, 'cutoff', :temporary_cutoff,
                   'years', :temporary_max_years, 'as_of', :as_of) AS evidence,
       NULL AS amount_yuan
FROM customers
WHERE status = 'active' AND temporary = 1 AND opened_on < :temporary_cutoff
