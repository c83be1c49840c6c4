-- Up Migration

-- Events the engine could not store, each a row of its own, so the rest of their message is stored and the
-- message acknowledged instead of being retried and dead-lettered whole: a generic event its schema refuses
-- (a producer that bypassed the gateway) or PostgreSQL refuses (with the SQLSTATE), a GitHub delivery whose
-- body the engine cannot read. The admin panel lists and deletes them.
CREATE TABLE IF NOT EXISTS rejected_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  queue text NOT NULL,
  message_id text NOT NULL,
  -- The batch's source and the event's own id and type where they could be read (a delivery: its id and event).
  source text,
  event_id text,
  event_type text,
  -- Where the event was in its batch; null when the whole message is the rejected part.
  position integer,
  -- The event as JSON text, exactly as it came: jsonb cannot hold the "\u0000" or lone-surrogate escapes a
  -- poison event carries, text holds their escapes as they are.
  event text NOT NULL,
  reason text NOT NULL,
  -- [{ "path", "message" }]: the schema's violations, paths as in the batch (/events/3/data/additions).
  errors jsonb NOT NULL DEFAULT '[]',
  sqlstate text,
  rejected_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS rejected_events_by_queue ON rejected_events (queue, id DESC);

-- Down Migration
DROP TABLE IF EXISTS rejected_events;
