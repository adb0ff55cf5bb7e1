-- Projects (tier 1), from ERP jobs. Canonical columns:
--   erp_key         unique ERP key of the job (origin_id <source>:project:<erp_key>)
--   job_number      the job number users see (Procore project_number and origin_code)
--   name, description, address, city, state_code, zip, country_code,
--   start_date, completion_date (dates), total_value (contract amount),
--   status          'open' / 'active' → active, 'closed' / 'inactive' → inactive (others rejected)
--   updated_at      last change time in the ERP (naive UTC)
-- Bound parameters: window_start, window_end.
SELECT
    j.job_no               AS erp_key,
    j.job_no               AS job_number,
    j.name                 AS name,
    j.description          AS description,
    j.address1             AS address,
    j.city                 AS city,
    j.state_code           AS state_code,
    j.postal_code          AS zip,
    j.country_code         AS country_code,
    j.start_date           AS start_date,
    j.est_completion_date  AS completion_date,
    j.contract_amount      AS total_value,
    j.status               AS status,
    j.updated_at           AS updated_at
FROM job j
WHERE j.updated_at >= :window_start
  AND j.updated_at <  :window_end
ORDER BY j.job_no, j.job_id
