-- OCPP 2.0.1 transactions: the station names its transaction (a string, unique per station) and reports where and
-- how it charges. The integer "transactionId" stays the CSMS's own id, assigned to 2.0.1 sessions too, so every
-- rule that follows a transaction by number (meter values, stops, TxProfile delivery) works for both versions.
ALTER TABLE charging_sessions ADD COLUMN "stationTransactionId" TEXT;
ALTER TABLE charging_sessions ADD COLUMN "evseId" INTEGER;
ALTER TABLE charging_sessions ADD COLUMN "chargingState" TEXT;
ALTER TABLE charging_sessions ADD COLUMN "remoteStartId" INTEGER;
ALTER TABLE charging_sessions ADD COLUMN "numberOfPhasesUsed" INTEGER;
-- every seqNo seen for the transaction, as ranges ("0-41,43"): a repeat is recognised, an older event never
-- overwrites the state a newer one set
ALTER TABLE charging_sessions ADD COLUMN "transactionSeqNos" TEXT;
ALTER TABLE charging_sessions ADD COLUMN "lastSeqNo" INTEGER;
CREATE UNIQUE INDEX charging_sessions_station_transaction ON charging_sessions("chargePointId", "stationTransactionId")
    WHERE "stationTransactionId" IS NOT NULL;

-- 2.0.1 reports status per EVSE and connector; AmpCMS's connector is the EVSE (its connectorId is the evseId), and
-- the EVSE's status follows the connectors of it (one Occupied connector makes the EVSE Occupied).
CREATE TABLE evse_connectors (
    "chargePointId" TEXT NOT NULL REFERENCES charge_points(id) ON DELETE CASCADE,
    "evseId" INTEGER NOT NULL,
    "connectorId" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "timestamp" TEXT NOT NULL,
    PRIMARY KEY ("chargePointId", "evseId", "connectorId")
);
