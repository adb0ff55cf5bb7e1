-- Payments (tier 4): issued on commitments (to subcontractors and suppliers) and received on prime
-- contracts (from owners). Canonical columns:
--   check_number            the ERP key (unique payment reference)
--   job_number              the project
--   commitment_number       the commitment paid (issued payments; blank otherwise)
--   prime_contract_number   the prime contract paid against (received payments; blank otherwise)
--   pay_app_id, pay_app_contract_number, pay_app_number   the subcontractor invoice paid (optional)
--   payment_date, amount, payment_method (check, credit_card, electronic)
--   voided                  1 when voided in the ERP (the payment is deleted in Procore if allowed)
--   updated_at              last change time; business date: payment_date
SELECT
    p.check_no            AS check_number,
    COALESCE(js.job_no, jo.job_no) AS job_number,
    s.contract_no         AS commitment_number,
    oc.contract_no        AS prime_contract_number,
    p.pay_app_id          AS pay_app_id,
    ps.contract_no        AS pay_app_contract_number,
    pa.app_no             AS pay_app_number,
    p.payment_date        AS payment_date,
    p.amount              AS amount,
    p.payment_method      AS payment_method,
    p.voided              AS voided,
    p.updated_at          AS updated_at
FROM payment p
LEFT JOIN subcontract s ON s.subcontract_id = p.subcontract_id
LEFT JOIN job js ON js.job_id = s.job_id
LEFT JOIN owner_contract oc ON oc.owner_contract_id = p.owner_contract_id
LEFT JOIN job jo ON jo.job_id = oc.job_id
LEFT JOIN pay_app pa ON pa.pay_app_id = p.pay_app_id
LEFT JOIN subcontract ps ON ps.subcontract_id = pa.subcontract_id
WHERE (p.updated_at >= :window_start AND p.updated_at < :window_end)
   OR (p.payment_date >= :window_start_date AND p.payment_date < :window_end_date)
ORDER BY p.check_no, p.payment_id
