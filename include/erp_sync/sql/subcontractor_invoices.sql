-- Subcontractor invoices (tier 4), from pay applications → Procore requisitions. Canonical columns:
--   contract_number, app_number   the ERP key is contract_number/app_number
--   job_number                    the commitment's project
--   period_start, period_end, billing_date
--   amount_this_period, retainage_this_period   the pay app's totals, checked (never negative) but not
--                                 sent: the money goes on the invoice's lines (subcontractor_invoice_lines.sql),
--                                 and Procore computes the invoice's totals from them
--   updated_at                    last change time; business date: billing_date
-- The status is set after the lines (subcontractor_invoice_statuses.sql): the invoice is created as a draft.
SELECT
    s.contract_no             AS contract_number,
    pa.app_no                 AS app_number,
    j.job_no                  AS job_number,
    pa.period_start           AS period_start,
    pa.period_end             AS period_end,
    pa.billing_date           AS billing_date,
    pa.amount_this_period     AS amount_this_period,
    pa.retainage_this_period  AS retainage_this_period,
    pa.updated_at             AS updated_at
FROM pay_app pa
LEFT JOIN subcontract s ON s.subcontract_id = pa.subcontract_id
LEFT JOIN job j ON j.job_id = s.job_id
WHERE (pa.updated_at >= :window_start AND pa.updated_at < :window_end)
   OR (pa.billing_date >= :window_start_date AND pa.billing_date < :window_end_date)
ORDER BY s.contract_no, pa.app_no, pa.pay_app_id
