-- Commitments (tier 3): subcontracts → work order contracts, purchase orders → purchase order
-- contracts. Canonical columns:
--   contract_number   the ERP key and origin_code (e.g. SC-24-0007-003)
--   job_number        the project
--   vendor_id, vendor_number   the ERP vendor id (to tell a dangling reference) and the contract company
--   kind              SC (work order / subcontract) or PO (purchase order)
--   title, description, status (Procore's values for the kind), executed_date, retainage_percent
--   voided            1 when voided in the ERP (work orders become Void; purchase orders are deleted)
--   updated_at        last change time; business date: executed_date
SELECT
    s.contract_no         AS contract_number,
    j.job_no              AS job_number,
    s.vendor_id           AS vendor_id,
    v.vendor_no           AS vendor_number,
    s.kind                AS kind,
    s.title               AS title,
    s.description         AS description,
    s.status              AS status,
    s.executed_date       AS executed_date,
    s.retainage_percent   AS retainage_percent,
    s.voided              AS voided,
    s.updated_at          AS updated_at
FROM subcontract s
LEFT JOIN job j ON j.job_id = s.job_id
LEFT JOIN vendor v ON v.vendor_id = s.vendor_id
WHERE (s.updated_at >= :window_start AND s.updated_at < :window_end)
   OR (s.executed_date >= :window_start_date AND s.executed_date < :window_end_date)
ORDER BY s.contract_no, s.subcontract_id
