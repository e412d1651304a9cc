-- /v2/cdrs: one charge detail record per finished charging session, written in the transaction that closes it.
-- "cdrData" holds the OCPI 2.2.1 CDR (as a one-element JSON array); the other columns are what lists filter on.
CREATE TABLE cdrs (
    id TEXT PRIMARY KEY,
    customerId TEXT NOT NULL REFERENCES customers(id),
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    "chargingSessionId" TEXT NOT NULL UNIQUE,
    "networkId" TEXT NOT NULL,
    "chargePointId" TEXT NOT NULL,
    "connectorId" TEXT NOT NULL,
    "transactionId" INTEGER,
    "idTag" TEXT,
    "start" TEXT NOT NULL,
    "end" TEXT NOT NULL,
    "totalEnergy" REAL NOT NULL,
    "totalCost" REAL NOT NULL,
    "totalCostInclVat" REAL NOT NULL,
    "currency" TEXT,
    "cdrData" TEXT NOT NULL
);
CREATE INDEX cdrs_customer_end ON cdrs(customerId, "end");
CREATE INDEX cdrs_network_end ON cdrs("networkId", "end");
