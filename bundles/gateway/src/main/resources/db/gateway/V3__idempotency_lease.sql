-- A pending Idempotency-Key reservation is held under a lease that its node renews while the first request runs;
-- another request takes it over only once the lease has lapsed (its node died). Epoch milliseconds.
ALTER TABLE gateway_idempotency ADD COLUMN lease_until BIGINT;
