-- Direct cost line items (tier 2). Canonical columns:
--   job_number, invoice_number, line_number   the ERP key is job_number/invoice_number#line_number
--   cost_code, cost_type                      the line's cost code (of the job) and cost type
--   description, quantity, unit_cost, amount
--   updated_at                                last change time of the line or its invoice
SELECT
    j.job_no          AS job_number,
    i.invoice_no      AS invoice_number,
    l.line_no         AS line_number,
    l.cost_code       AS cost_code,
    l.cost_type_code  AS cost_type,
    l.description     AS description,
    l.quantity        AS quantity,
    l.unit_cost       AS unit_cost,
    l.amount          AS amount,
    l.updated_at      AS updated_at
FROM ap_invoice_line l
JOIN ap_invoice i ON i.ap_invoice_id = l.ap_invoice_id
LEFT JOIN job j ON j.job_id = i.job_id
WHERE (l.updated_at >= :window_start AND l.updated_at < :window_end)
   OR (i.invoice_date >= :window_start_date AND i.invoice_date < :window_end_date)
ORDER BY j.job_no, i.invoice_no, l.line_no, l.ap_invoice_line_id
