-- Prime contract schedule of values lines (tier 4). Canonical columns:
--   contract_number, line_number   the ERP key is contract_number#line_number
--   job_number, cost_code, description, amount
--   cost_type                      Procore needs a line item type: owner contracts bill under the
--                                  owner-cost type (OC in the demo ERP); map yours here
--   updated_at                     last change time of the line
SELECT
    oc.contract_no   AS contract_number,
    i.item_no        AS line_number,
    j.job_no         AS job_number,
    i.cost_code      AS cost_code,
    'OC'             AS cost_type,
    i.description    AS description,
    i.amount         AS amount,
    i.updated_at     AS updated_at
FROM owner_contract_item i
JOIN owner_contract oc ON oc.owner_contract_id = i.owner_contract_id
LEFT JOIN job j ON j.job_id = oc.job_id
WHERE (i.updated_at >= :window_start AND i.updated_at < :window_end)
   OR (oc.executed_date >= :window_start_date AND oc.executed_date < :window_end_date)
ORDER BY oc.contract_no, i.item_no, i.owner_contract_item_id
