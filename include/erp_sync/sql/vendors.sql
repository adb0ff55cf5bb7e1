-- Vendors (tier 1). Canonical columns the pipeline expects, whatever the ERP:
--   erp_key        unique ERP key of the vendor (becomes origin_id <source>:vendor:<erp_key>)
--   vendor_number  the number users see (Procore origin_code)
--   name, trade_name, address, city, state_code (ISO-3166-2 without the country prefix), zip,
--   country_code (ISO-3166 alpha-2), business_phone, email_address,
--   status         'A' active, 'I' inactive (any other code is rejected, naming the allowed ones)
--   updated_at     last change time in the ERP (naive UTC), used for the incremental window
-- Bound parameters: window_start, window_end (the run's data interval; full runs widen it).
SELECT
    v.vendor_no      AS erp_key,
    v.vendor_no      AS vendor_number,
    v.name           AS name,
    v.dba_name       AS trade_name,
    v.address1       AS address,
    v.city           AS city,
    v.state_code     AS state_code,
    v.postal_code    AS zip,
    v.country_code   AS country_code,
    v.phone          AS business_phone,
    v.email          AS email_address,
    v.status         AS status,
    v.updated_at     AS updated_at
FROM vendor v
WHERE v.updated_at >= :window_start
  AND v.updated_at <  :window_end
ORDER BY v.vendor_no, v.vendor_id
