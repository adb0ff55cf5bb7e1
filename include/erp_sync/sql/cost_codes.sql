-- Cost codes (tier 2) → Procore project cost codes. Canonical columns:
--   job_number   the job the cost code belongs to (its project); the ERP key is job_number/cost_code
--   cost_code    the code (e.g. 03-300)
--   name         its description
--   updated_at   last change time (naive UTC)
SELECT
    j.job_no          AS job_number,
    cc.cost_code      AS cost_code,
    cc.description    AS name,
    cc.updated_at     AS updated_at
FROM job_cost_code cc
LEFT JOIN job j ON j.job_id = cc.job_id
WHERE cc.updated_at >= :window_start
  AND cc.updated_at <  :window_end
ORDER BY j.job_no, cc.cost_code, cc.job_cost_code_id
