-- Commitment change order lines (tier 3, 1-tier projects): one row per change order line. Canonical columns:
--   contract_number, co_number, line_number   the ERP key is contract_number/co_number#line_number
--   job_number                                 the commitment's project
--   item_number                                the SOV line it changes (blank: the line adds a new one)
--   cost_code, cost_type                       its budget code (Procore: the WBS code of the pair)
--   amount                                     the line's money (decimal; negative for a deduct)
--   description, updated_at                    business date: the change order's co_date
SELECT
    s.contract_no      AS contract_number,
    co.co_no           AS co_number,
    i.line_no          AS line_number,
    j.job_no           AS job_number,
    i.item_no          AS item_number,
    i.cost_code        AS cost_code,
    i.cost_type_code   AS cost_type,
    i.amount           AS amount,
    i.description      AS description,
    i.updated_at       AS updated_at
FROM change_order_item i
JOIN change_order co ON co.change_order_id = i.change_order_id
LEFT JOIN subcontract s ON s.subcontract_id = co.subcontract_id
LEFT JOIN job j ON j.job_id = s.job_id
WHERE (co.updated_at >= :window_start AND co.updated_at < :window_end)
   OR (i.updated_at >= :window_start AND i.updated_at < :window_end)
   OR (co.co_date >= :window_start_date AND co.co_date < :window_end_date)
ORDER BY s.contract_no, co.co_no, i.line_no, i.change_order_item_id
