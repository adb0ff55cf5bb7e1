-- Commitment schedule of values lines (tier 3). Canonical columns:
--   contract_number, line_number   the ERP key is contract_number#line_number
--   job_number, kind               the commitment's project and kind (SC / PO)
--   cost_code, cost_type, description, quantity, unit_cost, amount
--   updated_at                     last change time of the line
SELECT
    s.contract_no      AS contract_number,
    i.item_no          AS line_number,
    j.job_no           AS job_number,
    s.kind             AS kind,
    i.cost_code        AS cost_code,
    i.cost_type_code   AS cost_type,
    i.description      AS description,
    i.quantity         AS quantity,
    i.unit_cost        AS unit_cost,
    i.amount           AS amount,
    i.updated_at       AS updated_at
FROM subcontract_item i
JOIN subcontract s ON s.subcontract_id = i.subcontract_id
LEFT JOIN job j ON j.job_id = s.job_id
WHERE (i.updated_at >= :window_start AND i.updated_at < :window_end)
   OR (s.executed_date >= :window_start_date AND s.executed_date < :window_end_date)
ORDER BY s.contract_no, i.item_no, i.subcontract_item_id
