-- Limits set on a station by someone else (grid operator, EMS, local controller: OCPP 2.0.1 NotifyChargingLimit), in kW.
-- evseId 0 caps the whole station. The planner treats them as hard caps until ClearedChargingLimit.
CREATE TABLE external_charging_limits (
    "chargePointId" TEXT NOT NULL REFERENCES charge_points(id) ON DELETE CASCADE,
    "evseId" INTEGER NOT NULL,
    "source" TEXT NOT NULL,
    "limitKw" REAL NOT NULL,
    "isGridCritical" INTEGER,
    "updated" TEXT NOT NULL,
    PRIMARY KEY ("chargePointId", "evseId", "source")
);
