-- Budget (tier 2) → Procore budget line items (no origin_id: the ledger keys them by
-- job_number/cost_code/cost_type). Canonical columns:
--   job_number, cost_code, cost_type   the budget line's project, cost code and cost type
--   original_budget_amount             the original budget
--   updated_at                         last change time (naive UTC)
SELECT
    j.job_no             AS job_number,
    b.cost_code          AS cost_code,
    b.cost_type_code     AS cost_type,
    b.original_amount    AS original_budget_amount,
    b.updated_at         AS updated_at
FROM budget_line b
LEFT JOIN job j ON j.job_id = b.job_id
WHERE b.updated_at >= :window_start
  AND b.updated_at <  :window_end
ORDER BY j.job_no, b.cost_code, b.cost_type_code, b.budget_line_id
