-- SUS-02 暂停时间少于15天: a suspension lasting fewer than suspend_min_days (end_on inclusive).
SELECT cust_no, start_on AS subject,
       json_object('kind', 'SUS-02', 'start_on', start_on, 'end_on', end_on, 'days', days,
                   'min_days', :suspend_min_days) AS evidence,
       NULL AS amount_yuan
FROM (
    SELECT s.cust_no, s.start_on, s.end_on,
           {days_between(s.start_on, s.end_on)} + 1 AS days
    FROM suspensions s JOIN customers c ON c.cust_no = s.cust_no
    WHERE c.status = 'active' AND s.kind = 'suspend'
) AS s
WHERE days < :suspend_min_days - :tol
