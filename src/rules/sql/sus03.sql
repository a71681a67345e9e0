-- SUS-03 减容期限不合规: a capacity reduction shorter than reduce_min_days or longer than
-- reduce_max_days (end_on inclusive).
SELECT cust_no, start_on AS subject,
       json_object('kind', 'SUS-03', 'start_on', start_on, 'end_on', end_on, 'days', days,
                   'short', json(CASE WHEN days < :reduce_min_days - :tol THEN 'true' ELSE 'false' END),
                   'limit', CASE WHEN days < :reduce_min_days - :tol THEN :reduce_min_days ELSE :reduce_max_days END) AS evidence,
       NULL AS amount_yuan
FROM (
    SELECT s.cust_no, s.start_on, s.end_on,
           {days_between(s.start_on, s.end_on)} + 1 AS days
    FROM suspensions s JOIN customers c ON c.cust_no = s.cust_no
    WHERE c.status = 'active' AND s.kind = 'reduce'
) AS s
WHERE days < :reduce_min_days - :tol OR days > :reduce_max_days + :tol
