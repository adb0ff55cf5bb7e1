-- Subcontractor invoice statuses (tier 4), set once the invoice's lines carry its money (Procore locks
-- an approved invoice's items). Same source as subcontractor_invoices.sql. Canonical columns:
--   contract_number, app_number   the ERP key is contract_number/app_number
--   job_number                    the commitment's project
--   status                        draft, under_review, revise_and_resubmit, approved, approved_as_noted,
--                                 pending_owner_approval
--   updated_at                    last change time; business date: billing_date
SELECT
    s.contract_no             AS contract_number,
    pa.app_no                 AS app_number,
    j.job_no                  AS job_number,
    pa.status                 AS status,
    pa.updated_at             AS updated_at
FROM pay_app pa
LEFT JOIN subcontract s ON s.subcontract_id = pa.subcontract_id
LEFT JOIN job j ON j.job_id = s.job_id
WHERE (pa.updated_at >= :window_start AND pa.updated_at < :window_end)
   OR (pa.billing_date >= :window_start_date AND pa.billing_date < :window_end_date)
ORDER BY s.contract_no, pa.app_no, pa.pay_app_id
