-- Vehicles (fleet data the optimizer uses: battery, SoC, departure) and OCPP id tags (RFID cards, VIDs) that may name a vehicle.

CREATE TABLE vehicles (
    id TEXT PRIMARY KEY,
    customerId TEXT NOT NULL REFERENCES customers(id),
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "VIN" TEXT,
    "customerVehicleId" TEXT,
    "departureTime" TEXT,
    "batteryCapacity" REAL,
    "location" TEXT,
    "maxChargingPower" REAL,
    "stateOfCharge" REAL NOT NULL,
    "targetStateOfCharge" REAL NOT NULL,
    "group" TEXT,
    "insideDepot" TEXT,
    "make" TEXT,
    "model" TEXT,
    "year" INTEGER,
    "licensePlate" TEXT,
    "integrationId" TEXT
);
CREATE INDEX vehicles_customer ON vehicles(customerId, "group");

CREATE TABLE id_tags (
    id TEXT PRIMARY KEY,
    customerId TEXT NOT NULL REFERENCES customers(id),
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "priority" INTEGER,
    "group" TEXT NOT NULL,
    "vehicleId" TEXT REFERENCES vehicles(id) ON DELETE SET NULL,
    "listVersion" INTEGER,
    "customGroup" TEXT,
    "status" TEXT NOT NULL,
    "expiryDate" TEXT,
    "parentIdTag" TEXT
);
-- OCPP idTags are case-insensitive (CiString20): one tag value per customer, whatever its case.
CREATE UNIQUE INDEX id_tags_value ON id_tags(customerId, LOWER("value"));
CREATE INDEX id_tags_vehicle ON id_tags("vehicleId");

-- Samples from a vehicle's telematics (or its charge point): newest first per vehicle for /v2/vehicles/telematics/live.
CREATE TABLE vehicle_telematics (
    id TEXT PRIMARY KEY,
    customerId TEXT NOT NULL REFERENCES customers(id),
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    "vehicleId" TEXT NOT NULL REFERENCES vehicles(id) ON DELETE CASCADE,
    "timestamp" TEXT NOT NULL,
    "stateOfCharge" REAL, "latitude" REAL, "longitude" REAL, "plugConnected" INTEGER, "dataConnected" INTEGER,
    "batteryCapacity" REAL, "batteryPower" REAL, "rangeRemaining" REAL, "chargingState" TEXT,
    "chargingEnergy" REAL, "drivingEnergy" REAL, "regenEnergy" REAL, "otherEnergy" REAL,
    "cabinTemperature" REAL, "batteryTemperature" REAL, "chargingPower" REAL, "odometer" REAL,
    "ignition" INTEGER, "source" TEXT
);
CREATE INDEX vehicle_telematics_vehicle ON vehicle_telematics("vehicleId", "timestamp");
