-- Customers (tier 1): the owners (clients) of prime contracts, into Procore's company directory.
-- Canonical columns the pipeline expects, whatever the ERP:
--   erp_key          unique ERP key of the customer (becomes origin_id <source>:customer:<erp_key>,
--                    a kind of its own so a customer never takes a vendor's key)
--   customer_number  the number users see (Procore origin_code)
--   name, address, city, state_code (ISO-3166-2 without the country prefix), zip,
--   country_code (ISO-3166 alpha-2), business_phone, email_address,
--   status           'A' active, 'I' inactive (any other code is rejected)
--   updated_at       last change time in the ERP (naive UTC), used for the incremental window
-- Bound parameters: window_start, window_end (the run's data interval; full runs widen it).
SELECT
    c.customer_no    AS erp_key,
    c.customer_no    AS customer_number,
    c.name           AS name,
    c.address1       AS address,
    c.city           AS city,
    c.state_code     AS state_code,
    c.postal_code    AS zip,
    c.country_code   AS country_code,
    c.phone          AS business_phone,
    c.email          AS email_address,
    c.status         AS status,
    c.updated_at     AS updated_at
FROM customer c
WHERE c.updated_at >= :window_start
  AND c.updated_at <  :window_end
ORDER BY c.customer_no, c.customer_id
