-- A journal move now runs in several transactions, one per range of charge points (TrafficJournal.MovePartAsync), so
-- a writer queued behind it waits for one part's commit, not for the whole move. Between parts, a journal row that was
-- copied already stays in the journal until the move's last part deletes them all; this table says which rows those
-- are: seq up to "movedTo" and a key (chargePointId, '' when null) below "movedBelow". The views leave them out of
-- the journal's arm, so every row is still read exactly once. No row while no move is under way.
CREATE TABLE journal_moves (
    "journal" TEXT PRIMARY KEY,
    "movedTo" INTEGER NOT NULL,
    "movedBelow" TEXT NOT NULL
);

DROP VIEW IF EXISTS meter_values_all;
CREATE VIEW meter_values_all AS
    SELECT id, customerId, created, updated, "chargePointId", "connectorId", "connector", "networkId", "chargingSessionId",
        "transactionId", "vehicleId", "timestamp", "measurand", "phase", "unit", "context", "format", "location", "value"
    FROM meter_values
    UNION ALL
    SELECT id, customerId, created, updated, "chargePointId", "connectorId", "connector", "networkId", "chargingSessionId",
        "transactionId", "vehicleId", "timestamp", "measurand", "phase", "unit", "context", "format", "location", "value"
    FROM meter_values_journal
    WHERE NOT (seq <= COALESCE((SELECT "movedTo" FROM journal_moves WHERE "journal" = 'meter_values_journal'), 0)
        AND COALESCE("chargePointId", '') < COALESCE((SELECT "movedBelow" FROM journal_moves WHERE "journal" = 'meter_values_journal'), ''));

DROP VIEW IF EXISTS ocpp_messages_all;
CREATE VIEW ocpp_messages_all AS
    SELECT id, customerId, created, "chargePointId", "ocppId", "timestamp", "source", "messageType", "operationType",
        "messageId", "protocol", "body", "url"
    FROM ocpp_messages
    UNION ALL
    SELECT id, customerId, created, "chargePointId", "ocppId", "timestamp", "source", "messageType", "operationType",
        "messageId", "protocol", "body", "url"
    FROM ocpp_messages_journal
    WHERE NOT (seq <= COALESCE((SELECT "movedTo" FROM journal_moves WHERE "journal" = 'ocpp_messages_journal'), 0)
        AND COALESCE("chargePointId", '') < COALESCE((SELECT "movedBelow" FROM journal_moves WHERE "journal" = 'ocpp_messages_journal'), ''));
