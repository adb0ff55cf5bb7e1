-- Prime contract statuses (tier 4), set after the prime contract's schedule of values is in.
-- Canonical columns: contract_number, job_number, status, updated_at
SELECT
    oc.contract_no   AS contract_number,
    j.job_no         AS job_number,
    oc.status        AS status,
    oc.updated_at    AS updated_at
FROM owner_contract oc
LEFT JOIN job j ON j.job_id = oc.job_id
WHERE (oc.updated_at >= :window_start AND oc.updated_at < :window_end)
   OR (oc.executed_date >= :window_start_date AND oc.executed_date < :window_end_date)
ORDER BY oc.contract_no, oc.owner_contract_id
