-- Prime contracts (tier 4), from owner contracts. Canonical columns:
--   contract_number   the ERP key and Procore number (e.g. PC-24-0007)
--   job_number        the project (Procore allows one prime contract per project here)
--   customer_id, customer_number   the ERP customer id (to tell a dangling reference) and the owner
--   title, description, status (Draft, Out For Bid, Out For Signature, Approved, Complete, Terminated),
--   executed_date, retainage_percent
--   updated_at        last change time; business date: executed_date
SELECT
    oc.contract_no        AS contract_number,
    j.job_no              AS job_number,
    oc.customer_id        AS customer_id,
    c.customer_no         AS customer_number,
    oc.title              AS title,
    oc.status             AS status,
    oc.executed_date      AS executed_date,
    oc.retainage_percent  AS retainage_percent,
    oc.updated_at         AS updated_at
FROM owner_contract oc
LEFT JOIN job j ON j.job_id = oc.job_id
LEFT JOIN customer c ON c.customer_id = oc.customer_id
WHERE (oc.updated_at >= :window_start AND oc.updated_at < :window_end)
   OR (oc.executed_date >= :window_start_date AND oc.executed_date < :window_end_date)
ORDER BY oc.contract_no, oc.owner_contract_id
