-- SVC-01 业扩流程超时限: days from acceptance to completion (or to D while open) above the
-- limit. Every application, whatever its customer's status; no 户号 → cust_no ''.
SELECT cust_no, app_no AS subject,
       json_object('kind', 'SVC-01', 'app_kind', kind, 'accepted_on', accepted_on, 'completed_on', done,
                   'as_of', :as_of, 'days', days, 'limit_days', limit_days) AS evidence,
       NULL AS amount_yuan
FROM (
    SELECT coalesce(cust_no, '') AS cust_no, app_no, kind, accepted_on, limit_days,
           nullif(completed_on, '') AS done,
           {days_between(accepted_on, coalesce(nullif(completed_on, ''), :as_of))} AS days
    FROM applications
) AS a
WHERE days > limit_days + :tol
