-- Cost types (tier 2) → Procore line item types (company). Canonical columns:
--   erp_key      the cost type code (e.g. L, M, SUB); also sent as csv_import_code
--   name         the description users see
--   base_type    one of equipment, materials, commitment, owner_cost, professional_services, other
--   updated_at   last change time (naive UTC)
SELECT
    ct.cost_type_code  AS erp_key,
    ct.description     AS name,
    ct.base_type       AS base_type,
    ct.updated_at      AS updated_at
FROM cost_type ct
WHERE ct.updated_at >= :window_start
  AND ct.updated_at <  :window_end
ORDER BY ct.cost_type_code
