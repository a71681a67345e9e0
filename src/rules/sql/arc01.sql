-- ARC-01 联系信息缺失或无效: contact empty, phone empty, or phone neither a mobile nor a landline.
-- Only ASCII digits are digits, full-width ones are not (rules.md, "Text comparisons"):
-- {digits_only} (dialect.rs); trim removes U+0020 spaces only ({trim_spaces}).
SELECT cust_no, '-' AS subject,
       json_object('kind', 'ARC-01',
                   'contact_empty', json(CASE WHEN no_contact THEN 'true' ELSE 'false' END),
                   'phone_empty', json(CASE WHEN phone = '' THEN 'true' ELSE 'false' END),
                   'bad_phone', CASE WHEN phone <> '' AND NOT phone_ok THEN phone END) AS evidence,
       NULL AS amount_yuan
FROM (
    SELECT cust_no, phone, no_contact,
           -- mobile: 1 and 10 more digits
           (length(phone) = 11 AND substr(phone, 1, 1) = '1' AND {digits_only(phone)})
           -- landline without a dash: 0 + 2-3 digit area code + 7-8 digits = 10 to 12 digits
           OR (length(phone) BETWEEN 10 AND 12 AND substr(phone, 1, 1) = '0' AND {digits_only(phone)})
           -- landline with one dash after 0 + 2-3 digit area code, then 7-8 digits
           OR (substr(phone, 1, 1) = '0' AND instr(phone, '-') IN (4, 5)
               AND length(phone) - instr(phone, '-') IN (7, 8)
               AND length(replace(phone, '-', '')) = length(phone) - 1
               AND {digits_only(replace(phone, '-', ''))}) AS phone_ok
    FROM (SELECT cust_no, coalesce(phone, '') AS phone, {trim_spaces(coalesce(contact, ''))} = '' AS no_contact
          FROM customers WHERE status = 'active') AS c
) AS p
WHERE no_contact OR NOT phone_ok
