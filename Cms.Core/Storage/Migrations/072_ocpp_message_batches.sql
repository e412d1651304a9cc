-- The OCPP message log one row per charger per flush of the log (OcppMessageLog) instead of one per frame: at charger
-- rate a row per frame was a third of the host's CPU per message (its insert, its entries in three indexes, and the
-- journal move that wrote them again). "frames" is a JSON array of the frames in the order logged, each an array
-- [timestamp, source, messageType, operationType, messageId, body, url]; "first" and "last" are the earliest and latest
-- timestamp among them, "size" how many there are (OcppMessageList counts and pages with them). ocpp_messages_all
-- lists them per frame as before; frame k of batch b has the id b.id with its last three hex digits k (batches' ids
-- end in 000, a batch holds at most 4,096 frames). Rows in ocpp_messages stay.
CREATE TABLE ocpp_message_batches (
    id TEXT PRIMARY KEY,
    customerId TEXT NOT NULL,
    created TEXT NOT NULL,
    "chargePointId" TEXT,
    "ocppId" TEXT NOT NULL,
    "protocol" TEXT NOT NULL,
    "first" TEXT NOT NULL,
    "last" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "frames" TEXT NOT NULL
);
CREATE INDEX ocpp_message_batches_time ON ocpp_message_batches(customerId, "last");
CREATE INDEX ocpp_message_batches_charge_point ON ocpp_message_batches("chargePointId", "last");

-- The journal is written no more: what it still holds goes into ocpp_messages (rows a move cut short had copied
-- already excepted, as in the view of migration 070), then it goes.
INSERT INTO ocpp_messages (id, customerId, created, "chargePointId", "ocppId", "timestamp", "source", "messageType",
        "operationType", "messageId", "protocol", "body", "url")
    SELECT id, customerId, created, "chargePointId", "ocppId", "timestamp", "source", "messageType", "operationType",
        "messageId", "protocol", "body", "url"
    FROM ocpp_messages_journal
    WHERE NOT (seq <= COALESCE((SELECT "movedTo" FROM journal_moves WHERE "journal" = 'ocpp_messages_journal'), 0)
        AND COALESCE("chargePointId", '') < COALESCE((SELECT "movedBelow" FROM journal_moves WHERE "journal" = 'ocpp_messages_journal'), ''))
    ORDER BY seq;
DELETE FROM journal_moves WHERE "journal" = 'ocpp_messages_journal';
DROP VIEW IF EXISTS ocpp_messages_all;
DROP TABLE ocpp_messages_journal;

-- Old per-frame rows, then batches expanded per frame (json_each: SQLite's own, and PostgresFunctions' on PostgreSQL).
-- A filter on a batch's column (customer, charge point) is pushed into its arm and uses the batches' indexes; one on a
-- frame's (type, time) is applied to the expanded frames. "batchFirst" and "batchLast" let a time filter skip whole
-- batches first (OcppMessageResource's start and end: batchLast >= start AND timestamp >= start).
CREATE VIEW ocpp_messages_all AS
    SELECT id, customerId, created, "chargePointId", "ocppId", "timestamp", "source", "messageType", "operationType",
        "messageId", "protocol", "body", "url", "timestamp" AS "batchFirst", "timestamp" AS "batchLast"
    FROM ocpp_messages
    UNION ALL
    SELECT substr(b.id, 1, 33) || substr('0123456789abcdef', f.key / 256 + 1, 1)
            || substr('0123456789abcdef', f.key / 16 % 16 + 1, 1) || substr('0123456789abcdef', f.key % 16 + 1, 1),
        b.customerId, b.created, b."chargePointId", b."ocppId", f.value ->> 0, f.value ->> 1, f.value ->> 2,
        f.value ->> 3, f.value ->> 4, b."protocol", f.value ->> 5, f.value ->> 6, b."first", b."last"
    FROM ocpp_message_batches b, json_each(b.frames) f;
