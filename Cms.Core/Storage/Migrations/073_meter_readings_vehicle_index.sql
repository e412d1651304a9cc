-- Charger readings carry a vehicle only when their session is linked to one; most carry none, and each of those was
-- an entry in the vehicle index that no query reads (a vehicle's readings are asked for by its id). Only readings with
-- a vehicle are indexed now: one index insert less per reading on the chargers' hot path (~1.7 µs of ~70 per
-- MeterValues). "vehicleId" = ? implies "vehicleId" IS NOT NULL, so SQLite and PostgreSQL still use it for that.
DROP INDEX meter_readings_vehicle;
CREATE INDEX meter_readings_vehicle ON meter_readings("vehicleId", "timestamp") WHERE "vehicleId" IS NOT NULL;
