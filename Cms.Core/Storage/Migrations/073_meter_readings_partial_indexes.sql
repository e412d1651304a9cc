-- Charger readings carry a vehicle only when their session is linked to one, and a session only while one is open:
-- most carry no vehicle, and an idle connector's or the main meter's carry no session either. Each of those was an
-- entry in an index that no query reads (a vehicle's or a session's readings are asked for by its id). Only readings
-- with one are indexed now: on the chargers' hot path one index insert less per reading without a vehicle (~2 µs of
-- ~70 per MeterValues) and one more for a reading without a session. "x" = ? implies "x" IS NOT NULL, so SQLite and
-- PostgreSQL still use the indexes for those queries.
DROP INDEX meter_readings_vehicle;
CREATE INDEX meter_readings_vehicle ON meter_readings("vehicleId", "timestamp") WHERE "vehicleId" IS NOT NULL;
DROP INDEX meter_readings_session;
CREATE INDEX meter_readings_session ON meter_readings("chargingSessionId", "timestamp") WHERE "chargingSessionId" IS NOT NULL;
