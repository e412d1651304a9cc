-- Tenancy, users and the digital twin of sites: networks ⊇ charge points ⊇ connectors, sessions, meter values.
-- Column names are the API's field names (quoted camelCase) so definitions and tables stay one thing.

CREATE TABLE customers (
    id TEXT PRIMARY KEY,
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "shortName" TEXT NOT NULL UNIQUE
);

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    customerId TEXT NOT NULL REFERENCES customers(id),
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    "name" TEXT NOT NULL UNIQUE,
    "password" TEXT NOT NULL,
    "firstName" TEXT,
    "lastName" TEXT,
    "email" TEXT,
    "phone" TEXT,
    "type" TEXT NOT NULL,
    "language" TEXT,
    "oauth" INTEGER,
    "favorite" INTEGER,
    "profileImageUrl" TEXT,
    "activeCustomerId" TEXT
);

CREATE TABLE api_tokens (
    tokenHash TEXT PRIMARY KEY,
    userId TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created TEXT NOT NULL
);

CREATE TABLE networks (
    id TEXT PRIMARY KEY,
    customerId TEXT NOT NULL REFERENCES customers(id),
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    "maxCapacity" REAL NOT NULL,
    "name" TEXT NOT NULL,
    "location" TEXT, "latitude" REAL, "longitude" REAL, "address" TEXT, "country" TEXT, "city" TEXT,
    "state" TEXT, "zipCode" TEXT,
    "objective" TEXT NOT NULL,
    "timeZone" TEXT NOT NULL,
    "maxCapacityBuffer" REAL NOT NULL,
    "webhook" TEXT, "webhookSecret" TEXT,
    "connectorPowerStep" REAL,
    "optimizeWithMeterValue" INTEGER NOT NULL, "solarActive" INTEGER NOT NULL, "closeIdleSessions" INTEGER NOT NULL,
    "reservedPower" REAL, "defaultEnergyPrice" REAL,
    "connectorMinimumLoad" REAL NOT NULL,
    "fleetSchedule" TEXT,
    "startSessionsWithMeterValues" INTEGER NOT NULL, "eventLogging" INTEGER NOT NULL, "enableAnalytics" INTEGER NOT NULL,
    "baseloadActive" INTEGER NOT NULL, "baseloadPeak" REAL, "baseloadAvgYearlyConsumption" REAL, "baseloadBuildingType" TEXT,
    "connectorReservedPowerSplit" INTEGER NOT NULL, "priceConstraintsActive" INTEGER NOT NULL,
    "currency" TEXT, "onTimeDeparture" INTEGER, "geofenceRadius" REAL, "ocpiLocation" INTEGER,
    "defaultTariff" REAL, "defaultTax" REAL, "vehicleGroupPriority" TEXT
);
CREATE INDEX networks_customer ON networks(customerId);

CREATE TABLE charge_points (
    id TEXT PRIMARY KEY,
    customerId TEXT NOT NULL REFERENCES customers(id),
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    "maxCapacity" REAL NOT NULL,
    "name" TEXT,
    "networkId" TEXT NOT NULL REFERENCES networks(id),
    "allowAllIdTags" INTEGER, "customName" TEXT, "firmwareVersion" TEXT, "latitude" REAL, "location" TEXT,
    "longitude" REAL, "modelName" TEXT, "ocppId" TEXT, "ocppStatus" TEXT, "ocppStatusUpdate" TEXT,
    "onlineStatus" TEXT, "onlineStatusUpdate" TEXT, "orientation" REAL, "position" TEXT, "protocol" TEXT,
    "securityProfile" INTEGER, "source" TEXT, "vendor" TEXT, "powerSplit" INTEGER, "paymentTerminalID" TEXT,
    "password" TEXT, "meterType" TEXT, "serialNumber" TEXT, "ocppErrorCode" TEXT
);
CREATE INDEX charge_points_network ON charge_points("networkId");
CREATE UNIQUE INDEX charge_points_ocpp_id ON charge_points(customerId, "ocppId") WHERE "ocppId" IS NOT NULL;

CREATE TABLE connectors (
    id TEXT PRIMARY KEY,
    customerId TEXT NOT NULL REFERENCES customers(id),
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    "chargePointId" TEXT NOT NULL REFERENCES charge_points(id) ON DELETE CASCADE,
    "connectorId" INTEGER NOT NULL,
    "currentType" TEXT NOT NULL,
    "name" TEXT,
    "voltage" REAL NOT NULL,
    "plugType" TEXT, "plugPowerLevel" TEXT, "ocppStatus" TEXT, "ocppStatusUpdate" TEXT, "ocpiStatus" TEXT,
    "priority" INTEGER, "maxAmperage" REAL,
    "maxCapacity" REAL NOT NULL,
    "powerFactor" REAL NOT NULL,
    "ocppErrorCode" TEXT,
    UNIQUE ("chargePointId", "connectorId")
);

CREATE TABLE charging_sessions (
    id TEXT PRIMARY KEY,
    customerId TEXT NOT NULL REFERENCES customers(id),
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    "chargePointId" TEXT NOT NULL,
    "connectorId" TEXT NOT NULL,
    "connectorNumber" INTEGER NOT NULL,
    "networkId" TEXT NOT NULL,
    "chargingRateUnit" TEXT NOT NULL,
    "idTag" TEXT, "energyToCharge" REAL, "maxChargingPowerOfVehicle" REAL, "maximumChargingTimeDate" TEXT,
    "meterStart" REAL, "meterStop" REAL, "ocppTransactionStart" TEXT, "ocppTransactionStop" TEXT,
    "paymentInfo" TEXT, "priority" INTEGER, "remoteStopOnCompletion" INTEGER, "transactionId" INTEGER,
    "vehicleId" TEXT, "startSoC" REAL,
    "sessionStart" TEXT NOT NULL, "sessionEnd" TEXT,
    -- kept current by meter values: newest power (kW) and when it was measured, energy charged so far (kWh),
    -- and the lowest/highest Energy.Active.Import.Register seen (kWh; registers only grow, so min = first, max = last)
    "currentChargingLoad" REAL, "currentChargingLoadAt" TEXT, "energyConsumed" REAL,
    "firstMeterRegister" REAL, "lastMeterRegister" REAL,
    "stopReason" TEXT, "transactionData" TEXT
);
CREATE INDEX charging_sessions_connector ON charging_sessions("connectorId", "sessionEnd");
CREATE INDEX charging_sessions_network ON charging_sessions("networkId", "sessionEnd");
CREATE INDEX charging_sessions_transaction ON charging_sessions(customerId, "transactionId");
CREATE INDEX charging_sessions_vehicle ON charging_sessions("vehicleId", "sessionEnd");
CREATE UNIQUE INDEX charging_sessions_one_active ON charging_sessions("connectorId") WHERE "sessionEnd" IS NULL;

CREATE VIEW charging_sessions_live AS SELECT * FROM charging_sessions WHERE "sessionEnd" IS NULL;

-- One row per sampled value; "connectorId" is the charger's connector number (0 = the whole charge point),
-- "connector" the connector's UUID (null for 0).
CREATE TABLE meter_values (
    id TEXT PRIMARY KEY,
    customerId TEXT NOT NULL REFERENCES customers(id),
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    "chargePointId" TEXT NOT NULL,
    "connectorId" INTEGER NOT NULL,
    "connector" TEXT,
    "networkId" TEXT NOT NULL,
    "chargingSessionId" TEXT,
    "transactionId" INTEGER,
    "vehicleId" TEXT,
    "timestamp" TEXT NOT NULL,
    "measurand" TEXT NOT NULL,
    "phase" TEXT, "unit" TEXT, "context" TEXT, "format" TEXT, "location" TEXT,
    "value" REAL NOT NULL
);
CREATE INDEX meter_values_session ON meter_values("chargingSessionId", "timestamp");
CREATE INDEX meter_values_charge_point ON meter_values("chargePointId", "timestamp");
CREATE INDEX meter_values_network ON meter_values("networkId", "timestamp");
CREATE INDEX meter_values_connector ON meter_values("connector", "timestamp");
CREATE INDEX meter_values_vehicle ON meter_values("vehicleId", "timestamp");

-- Filled by the optimizer; the REST side only reads it.
CREATE TABLE optimizations (
    id TEXT PRIMARY KEY,
    customerId TEXT NOT NULL REFERENCES customers(id),
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    "chargingSessionId" TEXT NOT NULL,
    "connectorId" INTEGER,
    "connector" TEXT,
    "chargepointId" TEXT,
    "networkId" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "csChargingProfiles" TEXT NOT NULL,
    "profile" TEXT NOT NULL,
    "currentLimit" REAL,
    "active" INTEGER NOT NULL,
    "validFrom" TEXT NOT NULL,
    "validTo" TEXT NOT NULL
);
CREATE INDEX optimizations_network ON optimizations("networkId", "active");
CREATE INDEX optimizations_session ON optimizations("chargingSessionId", "active");
CREATE VIEW optimizations_current AS SELECT * FROM optimizations WHERE "active" = 1;
