-- Subcontractor invoice lines (tier 4): each pay app's money per SOV line → the requisition's items
-- (PATCH /rest/v1.0/requisitions/{requisition_id}/bulk_item_update). Canonical columns:
--   contract_number, app_number    the invoice (its ERP key is contract_number/app_number)
--   item_number                    the SOV line billed: the subcontract item number (commitment_lines'
--                                  line_number); the ERP key is contract_number/app_number#item_number
--   job_number                     the commitment's project
--   work_completed_this_period     this period's amounts, decimal, never negative (a NULL is refused:
--   materials_stored               COALESCE(..., 0) where your ERP leaves one blank)
--   retainage_this_period          retainage held this period on the line
--   updated_at                     last change time; business date: the pay app's billing_date
-- Procore bills per SOV line: the invoice's total is the sum of its lines (work completed + materials
-- stored), retainage likewise. Sum nothing here: one row per line (SQLite sums NUMERIC as float).
--
-- An ERP that keeps pay-app totals only bills the whole period on one SOV line of the commitment,
-- e.g. its first one (the lowest item number):
--   SELECT s.contract_no AS contract_number, pa.app_no AS app_number, j.job_no AS job_number,
--          (SELECT MIN(i.item_no) FROM subcontract_item i
--            WHERE i.subcontract_id = pa.subcontract_id)     AS item_number,
--          pa.amount_this_period                              AS work_completed_this_period,
--          0                                                  AS materials_stored,
--          pa.retainage_this_period                           AS retainage_this_period,
--          pa.updated_at                                      AS updated_at
--   FROM pay_app pa
--   LEFT JOIN subcontract s ON s.subcontract_id = pa.subcontract_id
--   LEFT JOIN job j ON j.job_id = s.job_id
--   WHERE (pa.updated_at >= :window_start AND pa.updated_at < :window_end)
--      OR (pa.billing_date >= :window_start_date AND pa.billing_date < :window_end_date)
SELECT
    s.contract_no                 AS contract_number,
    pa.app_no                     AS app_number,
    j.job_no                      AS job_number,
    l.item_no                     AS item_number,
    l.work_completed_this_period  AS work_completed_this_period,
    l.materials_stored            AS materials_stored,
    l.retainage_this_period       AS retainage_this_period,
    l.updated_at                  AS updated_at
FROM pay_app_line l
JOIN pay_app pa ON pa.pay_app_id = l.pay_app_id
LEFT JOIN subcontract s ON s.subcontract_id = pa.subcontract_id
LEFT JOIN job j ON j.job_id = s.job_id
WHERE (l.updated_at >= :window_start AND l.updated_at < :window_end)
   OR (pa.billing_date >= :window_start_date AND pa.billing_date < :window_end_date)
ORDER BY s.contract_no, pa.app_no, l.item_no, l.pay_app_line_id
