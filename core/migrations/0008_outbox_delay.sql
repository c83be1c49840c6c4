-- Up Migration

-- A follow-up may wait before it is sent: a coalesced metrics.compute waits a few seconds so that a burst of
-- facts for one repository (a backfill, a thousand webhooks) folds into one recomputation. The first pending
-- message of a key keeps its time, so a steady stream still recomputes once per delay.
ALTER TABLE outbox ADD COLUMN IF NOT EXISTS not_before timestamptz NOT NULL DEFAULT now();
CREATE INDEX IF NOT EXISTS outbox_due ON outbox (not_before, id);

-- Down Migration
DROP INDEX IF EXISTS outbox_due;
ALTER TABLE outbox DROP COLUMN IF EXISTS not_before;
