-- MTR-02 超周期未轮换: verified (or, never verified, installed) strictly before
-- D − rotation_years years (:rotation_cutoff, calendar arithmetic).
SELECT m.cust_no, m.meter_no AS subject,
       json_object('kind', 'MTR-02',
                   'basis', CASE WHEN coalesce(m.verified_on, '') = '' THEN 'installed' ELSE 'verified' END,
                   'date', coalesce(nullif(m.verified_on, ''), m.installed_on), 'cutoff', :rotation_cutoff,
                   'years', :rotation_years, 'as_of', :as_of) AS evidence,
       NULL AS amount_yuan
FROM meters m JOIN customers c ON c.cust_no = m.cust_no
WHERE c.status = 'active' AND coalesce(nullif(m.verified_on, ''), m.installed_on) < :rotation_cutoff
