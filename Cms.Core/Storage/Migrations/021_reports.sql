-- /v2/reports: CSV exports written by a background worker; the CSV itself is a file under the data directory.
CREATE TABLE reports (
    id TEXT PRIMARY KEY,
    customerId TEXT NOT NULL REFERENCES customers(id),
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "filters" TEXT,
    "userId" TEXT NOT NULL,
    "userType" TEXT NOT NULL,   -- the creator's rights, which the worker reads with
    "status" TEXT NOT NULL,     -- pending | processing | completed | failed
    "rows" INTEGER,
    "size" INTEGER,
    "error" TEXT,
    "completed" TEXT
);
CREATE INDEX reports_customer ON reports(customerId, created);
CREATE INDEX reports_pending ON reports("status");
