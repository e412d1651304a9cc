-- /v2/configurations: one JSON configuration object per customer, network, charge point or user.
-- "body" holds only what clients set; defaults (the built-in delivery presets, "" selections, …) are added when read.
-- No foreign key on targetId (it points into one of four tables); readers look rows up by a live target id, and ids
-- are never reused, so a row left behind by a deleted network, charge point or user is inert.
CREATE TABLE configurations (
    id TEXT PRIMARY KEY,
    customerId TEXT NOT NULL REFERENCES customers(id),
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    "level" TEXT NOT NULL,     -- customer | network | chargepoint | user
    "targetId" TEXT NOT NULL,  -- the customer, network, charge point or user the configuration belongs to
    "body" TEXT NOT NULL       -- JSON object
);
CREATE UNIQUE INDEX configurations_target ON configurations("level", "targetId");
CREATE INDEX configurations_customer ON configurations(customerId);
