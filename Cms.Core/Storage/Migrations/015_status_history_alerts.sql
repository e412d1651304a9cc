-- What chargers said over time: every connector / charge point status and every connection and disconnection.
-- Uptime, connectivity and ocpp_status profiles are computed from it. connectorId NULL = the charge point itself.
-- kind: 'status' (an OCPP status, errorCode kept) or 'online' (status ONLINE / OFFLINE).
CREATE TABLE status_history (
    id TEXT PRIMARY KEY,
    customerId TEXT NOT NULL,
    "networkId" TEXT NOT NULL,
    "chargePointId" TEXT NOT NULL,
    "connectorId" TEXT,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "errorCode" TEXT,
    "at" TEXT NOT NULL
);
CREATE INDEX status_history_charge_point ON status_history("chargePointId", "kind", "at");
CREATE INDEX status_history_connector ON status_history("connectorId", "at");

-- /v2/alerts: conditions raised from live charger traffic; "end" is set when the condition clears.
CREATE TABLE alerts (
    id TEXT PRIMARY KEY,
    customerId TEXT NOT NULL REFERENCES customers(id),
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "networkId" TEXT NOT NULL,
    "charger" TEXT,
    "connector" TEXT,
    "chargingSessionId" TEXT,
    "category" TEXT NOT NULL,   -- JSON array of the spec's categories
    "urgency" TEXT NOT NULL,
    "urgencyRank" INTEGER NOT NULL, -- 0 Very Low … 4 Very High, so sort=urgency orders by severity
    "status" TEXT NOT NULL,
    "start" TEXT NOT NULL,
    "end" TEXT,
    "description" TEXT NOT NULL,
    "action" TEXT,
    "notes" TEXT,
    "details" TEXT
);
CREATE INDEX alerts_network_start ON alerts("networkId", "start");
CREATE INDEX alerts_open ON alerts("charger", "name") WHERE "end" IS NULL;
