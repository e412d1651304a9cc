-- The optimizer's inputs per network: capacity intervals, energy prices, price constraints, DR events,
-- baseload and solar meter values. One row per interval or sample; a network's inputs go with it.

CREATE TABLE capacities (
    id TEXT PRIMARY KEY,
    customerId TEXT NOT NULL REFERENCES customers(id),
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    "networkId" TEXT NOT NULL REFERENCES networks(id) ON DELETE CASCADE,
    "type" TEXT NOT NULL,
    "maxCapacity" REAL NOT NULL,
    "start" TEXT NOT NULL,
    "end" TEXT NOT NULL
);
CREATE INDEX capacities_network ON capacities("networkId", "start");

CREATE TABLE prices (
    id TEXT PRIMARY KEY,
    customerId TEXT NOT NULL REFERENCES customers(id),
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    "networkId" TEXT NOT NULL REFERENCES networks(id) ON DELETE CASCADE,
    "start" TEXT NOT NULL,
    "end" TEXT NOT NULL,
    "price" REAL NOT NULL
);
CREATE INDEX prices_network ON prices("networkId", "start");

CREATE TABLE price_constraints (
    id TEXT PRIMARY KEY,
    customerId TEXT NOT NULL REFERENCES customers(id),
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    "networkId" TEXT NOT NULL REFERENCES networks(id) ON DELETE CASCADE,
    "energyPrice" REAL NOT NULL,
    "maxCapacityRatio" REAL NOT NULL
);
CREATE INDEX price_constraints_network ON price_constraints("networkId");

CREATE TABLE dr_events (
    id TEXT PRIMARY KEY,
    customerId TEXT NOT NULL REFERENCES customers(id),
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    "networkId" TEXT NOT NULL REFERENCES networks(id) ON DELETE CASCADE,
    "start" TEXT NOT NULL,
    "end" TEXT NOT NULL,
    "value" REAL NOT NULL,
    "type" TEXT NOT NULL
);
CREATE INDEX dr_events_network ON dr_events("networkId", "start");

CREATE TABLE baseloads (
    id TEXT PRIMARY KEY,
    customerId TEXT NOT NULL REFERENCES customers(id),
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    "networkId" TEXT NOT NULL REFERENCES networks(id) ON DELETE CASCADE,
    "timestamp" TEXT NOT NULL,
    "value" REAL NOT NULL
);
CREATE INDEX baseloads_network ON baseloads("networkId", "timestamp");

CREATE TABLE solar_meterings (
    id TEXT PRIMARY KEY,
    customerId TEXT NOT NULL REFERENCES customers(id),
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    "networkId" TEXT NOT NULL REFERENCES networks(id) ON DELETE CASCADE,
    "timestamp" TEXT NOT NULL,
    "value" REAL NOT NULL
);
CREATE INDEX solar_meterings_network ON solar_meterings("networkId", "timestamp");
