-- /v2/diagnostics: a GetDiagnostics (1.6) or GetLog (2.0.1) request and the file the charger uploads for it.
-- The upload URL carries a one-time secret, stored here only as a hash; the file lives under the data directory.
CREATE TABLE diagnostics (
    id TEXT PRIMARY KEY,
    customerId TEXT NOT NULL REFERENCES customers(id),
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    "chargepointId" TEXT NOT NULL REFERENCES charge_points(id) ON DELETE CASCADE,
    "userId" TEXT,
    "protocol" TEXT NOT NULL,
    "requestId" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "statusUpdate" TEXT,
    "requestStatus" TEXT,
    "fileName" TEXT,
    "fileSize" INTEGER,
    "uploaded" TEXT,
    "uploadSecretHash" TEXT NOT NULL
);
CREATE INDEX diagnostics_charge_point ON diagnostics("chargepointId", created);
CREATE UNIQUE INDEX diagnostics_request ON diagnostics("chargepointId", "requestId");
