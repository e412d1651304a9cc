-- Queued calls keep the order they were queued in without SQLite's rowid (PostgreSQL has none): a number assigned
-- under the write lock. Rows queued before this migration have none and keep their "created" order.
ALTER TABLE ocpp_outbox ADD COLUMN "seq" INTEGER;
