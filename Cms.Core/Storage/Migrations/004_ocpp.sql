-- Who may connect over OCPP, what chargers said and were told, and connection events.

CREATE TABLE ocpp_settings (
    customerId TEXT PRIMARY KEY REFERENCES customers(id),
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    "secret" TEXT,            -- PBKDF2 hash of the customer's charger secret
    "feature" TEXT NOT NULL,  -- off | cms | proxy
    "targetCmsUrl" TEXT,
    "defaultNetworkId" TEXT
);

CREATE TABLE charge_point_ocpp_settings (
    chargePointId TEXT PRIMARY KEY REFERENCES charge_points(id) ON DELETE CASCADE,
    customerId TEXT NOT NULL REFERENCES customers(id),
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    "secret" TEXT,
    "feature" TEXT
);

CREATE TABLE ocpp_messages (
    id TEXT PRIMARY KEY,
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
CREATE INDEX ocpp_messages_time ON ocpp_messages(customerId, "timestamp");
CREATE INDEX ocpp_messages_charge_point ON ocpp_messages("chargePointId", "timestamp");

CREATE TABLE ocpp_events (
    id TEXT PRIMARY KEY,
    customerId TEXT NOT NULL,
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    "eventTime" TEXT NOT NULL,
    "chargePointId" TEXT,
    "chargepointSerial" TEXT,
    "networkId" TEXT,
    "source" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "urgency" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "description" TEXT
);
CREATE INDEX ocpp_events_time ON ocpp_events(customerId, "eventTime");

-- Calls for chargers that were offline when asked; sent in order when they reconnect.
CREATE TABLE ocpp_outbox (
    id TEXT PRIMARY KEY,
    customerId TEXT NOT NULL,
    created TEXT NOT NULL,
    "chargePointId" TEXT NOT NULL REFERENCES charge_points(id) ON DELETE CASCADE,
    "action" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "sent" TEXT
);
CREATE INDEX ocpp_outbox_pending ON ocpp_outbox("chargePointId", "sent");
