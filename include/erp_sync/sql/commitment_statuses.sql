-- Commitment statuses (tier 3): one row per schedule of values line of each commitment (a commitment
-- without lines: one row with a blank line_number). Rows sharing contract_number are one commitment,
-- whose status is sent once every one of its lines is in Procore (Procore locks the SOV of an Approved
-- commitment); a line rejected or blocked holds the status back. Same source as commitments.sql; voided
-- purchase orders are left out here because the commitments point deletes them. Canonical columns:
--   contract_number, job_number, kind, status, voided
--   line_number   the SOV line (as in commitment_lines.sql)
--   updated_at    every line of a commitment is read when the commitment or any of its lines changed
SELECT
    s.contract_no     AS contract_number,
    j.job_no          AS job_number,
    s.kind            AS kind,
    i.item_no         AS line_number,
    s.status          AS status,
    s.voided          AS voided,
    s.updated_at      AS updated_at
FROM subcontract s
LEFT JOIN subcontract_item i ON i.subcontract_id = s.subcontract_id
LEFT JOIN job j ON j.job_id = s.job_id
WHERE s.subcontract_id IN (
    SELECT c.subcontract_id
    FROM subcontract c
    LEFT JOIN subcontract_item ci ON ci.subcontract_id = c.subcontract_id
    WHERE (c.updated_at >= :window_start AND c.updated_at < :window_end)
       OR (ci.updated_at >= :window_start AND ci.updated_at < :window_end)
       OR (c.executed_date >= :window_start_date AND c.executed_date < :window_end_date)
)
  AND NOT (s.kind = 'PO' AND s.voided = TRUE)
ORDER BY s.contract_no, i.item_no, s.subcontract_id
