-- Optimization and delivery events of a network, served by /v2/events.
CREATE TABLE events (
    id TEXT PRIMARY KEY,
    customerId TEXT NOT NULL REFERENCES customers(id),
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    "eventTime" TEXT NOT NULL,
    "networkId" TEXT NOT NULL,
    "charger" TEXT,
    "connector" TEXT,
    "chargingSessionId" TEXT,
    "alert" TEXT,
    "sessionSource" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "urgency" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "details" TEXT
);
CREATE INDEX events_network_time ON events("networkId", "eventTime");
