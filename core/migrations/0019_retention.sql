-- Pruning by age (core/src/retention): processed_events is deleted by processed_at, which had no index.
CREATE INDEX IF NOT EXISTS processed_events_by_time ON processed_events (processed_at);
CREATE INDEX IF NOT EXISTS login_guesses_by_time ON login_guesses (guessed_at);
