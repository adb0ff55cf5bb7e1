-- Change orders (tier 3) on commitments → Procore change order packages. Canonical columns:
--   contract_number, co_number   the ERP key is contract_number/co_number; origin_code is co_number
--   job_number                   the commitment's project
--   title, description, status (draft, pending, approved, rejected, void), co_date
--   amount                       the change order's total (sum of its lines)
--   updated_at                   last change time; business date: co_date
SELECT
    s.contract_no     AS contract_number,
    co.co_no          AS co_number,
    j.job_no          AS job_number,
    co.title          AS title,
    co.description    AS description,
    co.status         AS status,
    co.co_date        AS co_date,
    (SELECT SUM(i.amount) FROM change_order_item i WHERE i.change_order_id = co.change_order_id) AS amount,
    co.updated_at     AS updated_at
FROM change_order co
LEFT JOIN subcontract s ON s.subcontract_id = co.subcontract_id
LEFT JOIN job j ON j.job_id = s.job_id
WHERE (co.updated_at >= :window_start AND co.updated_at < :window_end)
   OR (co.co_date >= :window_start_date AND co.co_date < :window_end_date)
ORDER BY s.contract_no, co.co_no, co.change_order_id
