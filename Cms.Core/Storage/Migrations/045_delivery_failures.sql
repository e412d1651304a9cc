-- Consecutive refused deliveries of a session below the flagging threshold, so a restart does not start the count
-- again from zero (a session one refusal short of being flagged stays one refusal short).
ALTER TABLE delivery_state ADD COLUMN "failures" INTEGER NOT NULL DEFAULT 0;
