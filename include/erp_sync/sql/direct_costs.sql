-- Direct costs (tier 2) from AP invoices / job cost. Canonical columns:
--   job_number, invoice_number   the ERP key is job_number/invoice_number
--   vendor_id, vendor_number     the ERP vendor id (to tell a dangling reference) and its number
--   direct_cost_type             invoice, expense or payroll
--   status                       draft, pending, revise_and_resubmit or approved (translate ERP words here)
--   direct_cost_date, received_date, description
--   voided                       1 when voided in the ERP (the direct cost is deleted in Procore)
--   updated_at                   last change time; business date: direct_cost_date
SELECT
    j.job_no               AS job_number,
    i.invoice_no           AS invoice_number,
    i.vendor_id            AS vendor_id,
    v.vendor_no            AS vendor_number,
    CASE i.direct_cost_type WHEN 'subcontractor_invoice' THEN 'invoice' ELSE i.direct_cost_type END
                           AS direct_cost_type,
    CASE i.status
        WHEN 'entered' THEN 'draft'
        WHEN 'in_review' THEN 'pending'
        WHEN 'rejected' THEN 'revise_and_resubmit'
        WHEN 'approved' THEN 'approved'
        WHEN 'paid' THEN 'approved'
        ELSE i.status
    END                    AS status,
    i.invoice_date         AS direct_cost_date,
    i.received_date        AS received_date,
    i.description          AS description,
    i.voided               AS voided,
    i.updated_at           AS updated_at
FROM ap_invoice i
LEFT JOIN job j ON j.job_id = i.job_id
LEFT JOIN vendor v ON v.vendor_id = i.vendor_id
WHERE (i.updated_at >= :window_start AND i.updated_at < :window_end)
   OR (i.invoice_date >= :window_start_date AND i.invoice_date < :window_end_date)
ORDER BY j.job_no, i.invoice_no, i.ap_invoice_id
