-- /v2/planned_routes: a vehicle's (or vehicle group's) coming trips. The optimizer reads the next one of each
-- charging vehicle: the energy it needs and when it leaves.
CREATE TABLE planned_routes (
    id TEXT PRIMARY KEY,
    customerId TEXT NOT NULL REFERENCES customers(id),
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    "vehicleId" TEXT REFERENCES vehicles(id) ON DELETE CASCADE,
    "vehicleGroup" TEXT,
    "externalId" TEXT,
    "start" TEXT NOT NULL,
    "end" TEXT NOT NULL,
    "demand" TEXT
);
CREATE INDEX planned_routes_vehicle ON planned_routes("vehicleId", "start");
CREATE INDEX planned_routes_customer ON planned_routes(customerId, "start");
