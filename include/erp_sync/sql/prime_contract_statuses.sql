-- Prime contract statuses (tier 4): one row per schedule of values line of each prime contract (one row
-- with a blank line_number when it has none). Rows sharing contract_number are one prime contract, whose
-- status is sent once every one of its lines is in Procore (Procore locks an Approved contract's SOV);
-- a line rejected or blocked holds the status back. Canonical columns:
--   contract_number, job_number, status
--   line_number   the SOV line (as in prime_contract_lines.sql)
--   updated_at    every line is read when the contract or any of its lines changed
SELECT
    oc.contract_no   AS contract_number,
    j.job_no         AS job_number,
    i.item_no        AS line_number,
    oc.status        AS status,
    oc.updated_at    AS updated_at
FROM owner_contract oc
LEFT JOIN owner_contract_item i ON i.owner_contract_id = oc.owner_contract_id
LEFT JOIN job j ON j.job_id = oc.job_id
WHERE oc.owner_contract_id IN (
    SELECT c.owner_contract_id
    FROM owner_contract c
    LEFT JOIN owner_contract_item ci ON ci.owner_contract_id = c.owner_contract_id
    WHERE (c.updated_at >= :window_start AND c.updated_at < :window_end)
       OR (ci.updated_at >= :window_start AND ci.updated_at < :window_end)
       OR (c.executed_date >= :window_start_date AND c.executed_date < :window_end_date)
)
ORDER BY oc.contract_no, i.item_no, oc.owner_contract_id
