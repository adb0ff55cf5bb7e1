-- Potential change order statuses (tier 3, 2-tier projects): one row per line of each change order
-- (a change order without lines: one row with a blank line_number). Rows sharing contract_number/co_number
-- are one change order, whose status is sent once every one of its lines is in Procore (an approved
-- change order's lines are locked). Canonical columns:
--   contract_number, co_number, job_number, line_number
--   status        (draft, pending, approved, rejected, void)
--   updated_at    every line of a change order is read when the change order or any of its lines changed
SELECT
    s.contract_no     AS contract_number,
    co.co_no          AS co_number,
    j.job_no          AS job_number,
    i.line_no         AS line_number,
    co.status         AS status,
    co.updated_at     AS updated_at
FROM change_order co
LEFT JOIN change_order_item i ON i.change_order_id = co.change_order_id
LEFT JOIN subcontract s ON s.subcontract_id = co.subcontract_id
LEFT JOIN job j ON j.job_id = s.job_id
WHERE co.change_order_id IN (
    SELECT c.change_order_id
    FROM change_order c
    LEFT JOIN change_order_item ci ON ci.change_order_id = c.change_order_id
    WHERE (c.updated_at >= :window_start AND c.updated_at < :window_end)
       OR (ci.updated_at >= :window_start AND ci.updated_at < :window_end)
       OR (c.co_date >= :window_start_date AND c.co_date < :window_end_date)
)
ORDER BY s.contract_no, co.co_no, i.line_no, co.change_order_id
