-- Potential change orders (tier 3, 2-tier projects): one PCO per change order, inside its package.
-- Canonical columns:
--   contract_number, co_number   the ERP key is contract_number/co_number; number is co_number
--   job_number                   the commitment's project
--   title, description
--   updated_at                   last change time; business date: co_date
-- No amount and no status here: the lines carry the money (potential_change_order_lines.sql), the
-- status follows them (potential_change_order_statuses.sql).
SELECT
    s.contract_no     AS contract_number,
    co.co_no          AS co_number,
    j.job_no          AS job_number,
    co.title          AS title,
    co.description    AS description,
    co.updated_at     AS updated_at
FROM change_order co
LEFT JOIN subcontract s ON s.subcontract_id = co.subcontract_id
LEFT JOIN job j ON j.job_id = s.job_id
WHERE (co.updated_at >= :window_start AND co.updated_at < :window_end)
   OR (co.co_date >= :window_start_date AND co.co_date < :window_end_date)
ORDER BY s.contract_no, co.co_no, co.change_order_id
