-- Commitment change orders with their lines (tier 3): one row per change order line. Rows sharing
-- contract_number/co_number are the lines of one change order. Canonical columns:
--   contract_number, co_number, job_number   the change order (its ERP key), project
--   title, description, status, co_date       the change order header
--   line_number                                the line
--   item_number                                the SOV line it adjusts (blank: the line adds a new one)
--   cost_code, cost_type, amount, line_description
--   updated_at                                 last change time; business date: co_date
SELECT
    s.contract_no      AS contract_number,
    co.co_no           AS co_number,
    j.job_no           AS job_number,
    co.title           AS title,
    co.description     AS description,
    co.status          AS status,
    co.co_date         AS co_date,
    i.line_no          AS line_number,
    i.item_no          AS item_number,
    i.cost_code        AS cost_code,
    i.cost_type_code   AS cost_type,
    i.amount           AS amount,
    i.description      AS line_description,
    co.updated_at      AS updated_at
FROM change_order_item i
JOIN change_order co ON co.change_order_id = i.change_order_id
LEFT JOIN subcontract s ON s.subcontract_id = co.subcontract_id
LEFT JOIN job j ON j.job_id = s.job_id
WHERE (co.updated_at >= :window_start AND co.updated_at < :window_end)
   OR (co.co_date >= :window_start_date AND co.co_date < :window_end_date)
ORDER BY s.contract_no, co.co_no, i.line_no, i.change_order_item_id
