-- Meter values one row per meterValue element (a reading: one timestamp and all its samples) instead of one row per
-- sampled value: a charger's 5-20 samples per element (per-phase V/I/P, energy, SoC) cost one row and one entry in
-- each index, not one per sample. "samples" is a JSON array of the normalized samples, each an array
-- [measurand, phase, unit, context, format, location, value] (see MeterReading.SamplesJson). meter_values_all lists
-- them per sample exactly as before; sample k of reading r has the id r.id with its last two hex digits k (readings'
-- ids end in 00, and an element of more than 256 samples is stored as several readings). Rows in meter_values stay.
CREATE TABLE meter_readings (
    id TEXT PRIMARY KEY,
    customerId TEXT NOT NULL REFERENCES customers(id),
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
    "samples" TEXT NOT NULL
);
CREATE INDEX meter_readings_session ON meter_readings("chargingSessionId", "timestamp");
CREATE INDEX meter_readings_charge_point ON meter_readings("chargePointId", "timestamp");
CREATE INDEX meter_readings_network ON meter_readings("networkId", "timestamp");
CREATE INDEX meter_readings_connector ON meter_readings("connector", "timestamp");
CREATE INDEX meter_readings_vehicle ON meter_readings("vehicleId", "timestamp");

-- The hot write on SQLite (see migration 041): JournalMover moves it into meter_readings.
CREATE TABLE meter_readings_journal (
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
    "samples" TEXT NOT NULL
);

-- The per-sample journal is written no more: what it still holds goes into meter_values (rows a move cut short had
-- copied already excepted, as in the view of migration 070), then it goes.
INSERT INTO meter_values (id, customerId, created, updated, "chargePointId", "connectorId", "connector", "networkId",
        "chargingSessionId", "transactionId", "vehicleId", "timestamp", "measurand", "phase", "unit", "context", "format",
        "location", "value")
    SELECT id, customerId, created, updated, "chargePointId", "connectorId", "connector", "networkId", "chargingSessionId",
        "transactionId", "vehicleId", "timestamp", "measurand", "phase", "unit", "context", "format", "location", "value"
    FROM meter_values_journal
    WHERE NOT (seq <= COALESCE((SELECT "movedTo" FROM journal_moves WHERE "journal" = 'meter_values_journal'), 0)
        AND COALESCE("chargePointId", '') < COALESCE((SELECT "movedBelow" FROM journal_moves WHERE "journal" = 'meter_values_journal'), ''))
    ORDER BY seq;
DELETE FROM journal_moves WHERE "journal" = 'meter_values_journal';
DROP VIEW IF EXISTS meter_values_all;
DROP TABLE meter_values_journal;

-- Old per-sample rows, then readings and journaled readings expanded per sample (json_each: SQLite's own, and
-- PostgresFunctions' on PostgreSQL). A filter on a reading's column (scope, time) is pushed into each arm and uses
-- meter_readings' indexes; one on a sample's (measurand) is applied to the expanded samples.
CREATE VIEW meter_values_all AS
    SELECT id, customerId, created, updated, "chargePointId", "connectorId", "connector", "networkId", "chargingSessionId",
        "transactionId", "vehicleId", "timestamp", "measurand", "phase", "unit", "context", "format", "location", "value"
    FROM meter_values
    UNION ALL
    SELECT substr(r.id, 1, 34) || substr('0123456789abcdef', s.key / 16 + 1, 1) || substr('0123456789abcdef', s.key % 16 + 1, 1),
        r.customerId, r.created, r.updated, r."chargePointId", r."connectorId", r."connector", r."networkId",
        r."chargingSessionId", r."transactionId", r."vehicleId", r."timestamp", s.value ->> 0, s.value ->> 1, s.value ->> 2,
        s.value ->> 3, s.value ->> 4, s.value ->> 5, CAST(s.value ->> 6 AS REAL)
    FROM meter_readings r, json_each(r.samples) s
    UNION ALL
    SELECT substr(r.id, 1, 34) || substr('0123456789abcdef', s.key / 16 + 1, 1) || substr('0123456789abcdef', s.key % 16 + 1, 1),
        r.customerId, r.created, r.updated, r."chargePointId", r."connectorId", r."connector", r."networkId",
        r."chargingSessionId", r."transactionId", r."vehicleId", r."timestamp", s.value ->> 0, s.value ->> 1, s.value ->> 2,
        s.value ->> 3, s.value ->> 4, s.value ->> 5, CAST(s.value ->> 6 AS REAL)
    FROM meter_readings_journal r, json_each(r.samples) s
    WHERE NOT (r.seq <= COALESCE((SELECT "movedTo" FROM journal_moves WHERE "journal" = 'meter_readings_journal'), 0)
        AND COALESCE(r."chargePointId", '') < COALESCE((SELECT "movedBelow" FROM journal_moves WHERE "journal" = 'meter_readings_journal'), ''));
