-- Up Migration

-- Messages that reached a `<queue>.dead` queue, moved here by the admin panel so admins can list, filter,
-- replay and delete them. `envelope` holds a readable envelope; a body that is none is kept as text in
-- `raw_body` (it can be read and deleted, never replayed). The message id makes a redelivery one row.
CREATE TABLE IF NOT EXISTS dead_letters (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  queue text NOT NULL,
  message_id text NOT NULL,
  type text,
  envelope jsonb,
  raw_body text,
  -- From the headers the engine sets when it dead-letters: x-error, x-attempts, x-failed-at.
  error text,
  attempts integer,
  failed_at timestamptz NOT NULL,
  archived_at timestamptz NOT NULL DEFAULT now(),
  CHECK (envelope IS NOT NULL OR raw_body IS NOT NULL)
);
CREATE UNIQUE INDEX IF NOT EXISTS dead_letters_message ON dead_letters (queue, message_id);
CREATE INDEX IF NOT EXISTS dead_letters_by_queue ON dead_letters (queue, id DESC);

-- Down Migration
DROP TABLE IF EXISTS dead_letters;
