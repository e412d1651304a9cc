-- What profile delivery knows about each session (or connector reserve): the first-period kW its charger accepted and
-- whether the session is flagged because its charger keeps refusing. Loaded at start so a restart does not resend
-- every unchanged profile to every charger at once.
CREATE TABLE delivery_state (
    "key" TEXT PRIMARY KEY,
    "networkId" TEXT NOT NULL,
    "chargePointId" TEXT,
    "kw" REAL,
    "flagged" INTEGER NOT NULL DEFAULT 0
);
