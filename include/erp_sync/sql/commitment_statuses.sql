-- Commitment statuses (tier 3), set after the schedule of values is in (Procore locks the SOV of an
-- Approved commitment). Same source as commitments.sql; voided purchase orders are left out here
-- because the commitments point deletes them. Canonical columns:
--   contract_number, job_number, kind, status, voided, updated_at
SELECT
    s.contract_no     AS contract_number,
    j.job_no          AS job_number,
    s.kind            AS kind,
    s.status          AS status,
    s.voided          AS voided,
    s.updated_at      AS updated_at
FROM subcontract s
LEFT JOIN job j ON j.job_id = s.job_id
WHERE ((s.updated_at >= :window_start AND s.updated_at < :window_end)
    OR (s.executed_date >= :window_start_date AND s.executed_date < :window_end_date))
  AND NOT (s.kind = 'PO' AND s.voided = TRUE)
ORDER BY s.contract_no, s.subcontract_id
