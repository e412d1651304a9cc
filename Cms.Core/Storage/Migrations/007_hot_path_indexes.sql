-- Lookups the charger hot path and the derived fields make per charge point: without these, every MeterValues or
-- StartTransaction scanned every session and every optimization ever written (the history grows with each run).
CREATE INDEX charging_sessions_charge_point ON charging_sessions("chargePointId", "sessionEnd");
CREATE INDEX optimizations_charge_point_current ON optimizations("chargepointId") WHERE "active" = 1;
