-- OCPP 2.0.1 device model as stations report it (NotifyReport): one row per component/variable/attribute.
-- Absent parts of the key are stored as '' or -1 so the key stays unique.
CREATE TABLE device_model_variables (
    "chargePointId" TEXT NOT NULL REFERENCES charge_points(id) ON DELETE CASCADE,
    "component" TEXT NOT NULL,
    "componentInstance" TEXT NOT NULL,
    "evseId" INTEGER NOT NULL,
    "connectorId" INTEGER NOT NULL,
    "variable" TEXT NOT NULL,
    "variableInstance" TEXT NOT NULL,
    "attributeType" TEXT NOT NULL,
    "value" TEXT,
    "mutability" TEXT,
    "dataType" TEXT,
    "unit" TEXT,
    "updated" TEXT NOT NULL,
    PRIMARY KEY ("chargePointId", "component", "componentInstance", "evseId", "connectorId", "variable", "variableInstance", "attributeType")
);
