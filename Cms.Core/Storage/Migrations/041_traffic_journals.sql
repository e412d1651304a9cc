-- Charger traffic is acknowledged once committed here: append-only tables keyed only by an increasing "seq", so a
-- commit writes the few tail pages they fill, not one page per charger, session and connector of the indexed tables.
-- JournalMover moves their rows into meter_values and ocpp_messages in large batches (one transaction: insert there,
-- delete here), so each page of those tables' per-charger indexes is written once per batch instead of once per
-- message. Readers read both through the *_all views, so a row is listed the moment it is acknowledged. PostgreSQL
-- (whose WAL logs entries, not pages) writes the indexed tables directly and leaves its journals empty.
CREATE TABLE meter_values_journal (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL,
    customerId TEXT NOT NULL,
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    "chargePointId" TEXT NOT NULL,
    "connectorId" INTEGER NOT NULL,
    "connector" TEXT,
    "networkId" TEXT NOT NULL,
    "chargingSessionId" TEXT,
    "transactionId" INTEGER,
    "vehicleId" TEXT,
    "timestamp" TEXT NOT NULL,
    "measurand" TEXT NOT NULL,
    "phase" TEXT, "unit" TEXT, "context" TEXT, "format" TEXT, "location" TEXT,
    "value" REAL NOT NULL
);

CREATE TABLE ocpp_messages_journal (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL,
    customerId TEXT NOT NULL,
    created TEXT NOT NULL,
    "chargePointId" TEXT,
    "ocppId" TEXT NOT NULL,
    "timestamp" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "messageType" TEXT,
    "operationType" TEXT,
    "messageId" TEXT,
    "protocol" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "url" TEXT
);

CREATE VIEW meter_values_all AS
    SELECT id, customerId, created, updated, "chargePointId", "connectorId", "connector", "networkId", "chargingSessionId",
        "transactionId", "vehicleId", "timestamp", "measurand", "phase", "unit", "context", "format", "location", "value"
    FROM meter_values
    UNION ALL
    SELECT id, customerId, created, updated, "chargePointId", "connectorId", "connector", "networkId", "chargingSessionId",
        "transactionId", "vehicleId", "timestamp", "measurand", "phase", "unit", "context", "format", "location", "value"
    FROM meter_values_journal;

CREATE VIEW ocpp_messages_all AS
    SELECT id, customerId, created, "chargePointId", "ocppId", "timestamp", "source", "messageType", "operationType",
        "messageId", "protocol", "body", "url"
    FROM ocpp_messages
    UNION ALL
    SELECT id, customerId, created, "chargePointId", "ocppId", "timestamp", "source", "messageType", "operationType",
        "messageId", "protocol", "body", "url"
    FROM ocpp_messages_journal;
