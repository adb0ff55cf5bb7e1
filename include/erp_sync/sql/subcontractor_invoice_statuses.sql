-- Subcontractor invoice statuses (tier 4): one row per line of each pay app (a pay app without lines:
-- one row with a blank item_number). Rows sharing contract_number/app_number are one invoice, whose status
-- is sent once every one of its lines is in Procore (Procore locks an approved invoice's items); a line
-- rejected or blocked holds the status back, with the reason in the ledger. Same source as
-- subcontractor_invoices.sql and subcontractor_invoice_lines.sql. Canonical columns:
--   contract_number, app_number   the ERP key is contract_number/app_number
--   job_number                    the commitment's project
--   item_number                   the SOV line billed (as in subcontractor_invoice_lines.sql)
--   status                        draft, under_review, revise_and_resubmit, approved, approved_as_noted,
--                                 pending_owner_approval
--   updated_at                    every line of a pay app is read when the pay app or any of its lines
--                                 changed; business date: billing_date
SELECT
    s.contract_no             AS contract_number,
    pa.app_no                 AS app_number,
    j.job_no                  AS job_number,
    l.item_no                 AS item_number,
    pa.status                 AS status,
    pa.updated_at             AS updated_at
FROM pay_app pa
LEFT JOIN pay_app_line l ON l.pay_app_id = pa.pay_app_id
LEFT JOIN subcontract s ON s.subcontract_id = pa.subcontract_id
LEFT JOIN job j ON j.job_id = s.job_id
WHERE pa.pay_app_id IN (
    SELECT p.pay_app_id
    FROM pay_app p
    LEFT JOIN pay_app_line pl ON pl.pay_app_id = p.pay_app_id
    WHERE (p.updated_at >= :window_start AND p.updated_at < :window_end)
       OR (pl.updated_at >= :window_start AND pl.updated_at < :window_end)
       OR (p.billing_date >= :window_start_date AND p.billing_date < :window_end_date)
)
ORDER BY s.contract_no, pa.app_no, l.item_no, pa.pay_app_id
