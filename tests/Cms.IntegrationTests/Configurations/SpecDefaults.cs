using Cms.IntegrationTests.Harness;
using Newtonsoft.Json.Linq;

namespace Cms.IntegrationTests.Configurations;

/// <summary>The customer configuration a new customer sees, copied verbatim from the spec (Configurations → Customer level).</summary>
public static class SpecDefaults
{
    public const string Customer = """
        {
            "deliveryOptions": {
                "presets": {
                    "TxProfile": {
                        "ampcontrol-default-TxProfile": {
                            "settings": {
                                "timeZone": "utc",
                                "stackLevel": 2,
                                "numberPhases": false,
                                "chargingRateUnit": null,
                                "timestampsFormat": "default",
                                "useTransactionId": true,
                                "limitDeliveryType": "All",
                                "chargingProfileKind": "Absolute",
                                "useChargingProfileId": true,
                                "chargingProfilePurpose": "TxProfile"
                            },
                            "isDefault": true
                        },
                        "ampcontrol-squential-TxProfile": {
                            "settings": {
                                "timeZone": "utc",
                                "stackLevel": 2,
                                "numberPhases": false,
                                "chargingRateUnit": null,
                                "timestampsFormat": "default",
                                "useTransactionId": true,
                                "limitDeliveryType": "Sequential",
                                "chargingProfileKind": "Absolute",
                                "useChargingProfileId": true,
                                "chargingProfilePurpose": "TxProfile"
                            },
                            "isDefault": false
                        },
                        "ampcontrol-sequential-ampere-TxProfile": {
                            "settings": {
                                "timeZone": "utc",
                                "stackLevel": 2,
                                "numberPhases": false,
                                "chargingRateUnit": "A",
                                "timestampsFormat": "default",
                                "useTransactionId": true,
                                "limitDeliveryType": "Sequential",
                                "chargingProfileKind": "Absolute",
                                "useChargingProfileId": true,
                                "chargingProfilePurpose": "TxProfile"
                            },
                            "isDefault": false
                        },
                        "ampcontrol-default-TxProfile-number-phases": {
                            "settings": {
                                "timeZone": "utc",
                                "stackLevel": 2,
                                "numberPhases": true,
                                "chargingRateUnit": null,
                                "timestampsFormat": "default",
                                "useTransactionId": true,
                                "limitDeliveryType": "All",
                                "chargingProfileKind": "Absolute",
                                "useChargingProfileId": true,
                                "chargingProfilePurpose": "TxProfile"
                            },
                            "isDefault": false
                        },
                        "ampcontrol-sequential-ampere-number-phases-TxProfile": {
                            "settings": {
                                "timeZone": "utc",
                                "stackLevel": 2,
                                "numberPhases": true,
                                "chargingRateUnit": "A",
                                "timestampsFormat": "default",
                                "useTransactionId": true,
                                "limitDeliveryType": "Sequential",
                                "chargingProfileKind": "Absolute",
                                "useChargingProfileId": true,
                                "chargingProfilePurpose": "TxProfile"
                            },
                            "isDefault": false
                        }
                    },
                    "TxDefaultProfile": {
                        "ampcontrol-default-TxDefaultProfile": {
                            "settings": {
                                "timeZone": "utc",
                                "stackLevel": 1,
                                "numberPhases": false,
                                "chargingRateUnit": null,
                                "timestampsFormat": "default",
                                "useTransactionId": true,
                                "limitDeliveryType": "All",
                                "chargingProfileKind": "Absolute",
                                "useChargingProfileId": true,
                                "chargingProfilePurpose": "TxDefaultProfile"
                            },
                            "isDefault": true
                        },
                        "ampcontrol-squential-TxDefaultProfile": {
                            "settings": {
                                "timeZone": "utc",
                                "stackLevel": 1,
                                "numberPhases": false,
                                "chargingRateUnit": null,
                                "timestampsFormat": "default",
                                "useTransactionId": true,
                                "limitDeliveryType": "Sequential",
                                "chargingProfileKind": "Absolute",
                                "useChargingProfileId": true,
                                "chargingProfilePurpose": "TxDefaultProfile"
                            },
                            "isDefault": false
                        },
                        "ampcontrol-sequential-ampere-TxDefaultProfile": {
                            "settings": {
                                "timeZone": "utc",
                                "stackLevel": 1,
                                "numberPhases": false,
                                "chargingRateUnit": "A",
                                "timestampsFormat": "default",
                                "useTransactionId": true,
                                "limitDeliveryType": "Sequential",
                                "chargingProfileKind": "Absolute",
                                "useChargingProfileId": true,
                                "chargingProfilePurpose": "TxDefaultProfile"
                            },
                            "isDefault": false
                        },
                        "ampcontrol-default-TxDefaultProfile-number-phases": {
                            "settings": {
                                "timeZone": "utc",
                                "stackLevel": 1,
                                "numberPhases": true,
                                "chargingRateUnit": null,
                                "timestampsFormat": "default",
                                "useTransactionId": true,
                                "limitDeliveryType": "All",
                                "chargingProfileKind": "Absolute",
                                "useChargingProfileId": true,
                                "chargingProfilePurpose": "TxDefaultProfile"
                            },
                            "isDefault": false
                        },
                        "ampcontrol-sequential-ampere-number-phases-TxDefaultProfile": {
                            "settings": {
                                "timeZone": "utc",
                                "stackLevel": 1,
                                "numberPhases": true,
                                "chargingRateUnit": "A",
                                "timestampsFormat": "default",
                                "useTransactionId": true,
                                "limitDeliveryType": "Sequential",
                                "chargingProfileKind": "Absolute",
                                "useChargingProfileId": true,
                                "chargingProfilePurpose": "TxDefaultProfile"
                            },
                            "isDefault": false
                        }
                    }
                },
                "TxProfile": "ampcontrol-default-TxProfile",
                "TxDefaultProfile": "ampcontrol-default-TxDefaultProfile"
            },
            "integrations": {},
            "ampCmsOptions": {
                "feature": "off",
                "secret": "unregistered",
                "targetCmsUrl": null,
                "defaultNetworkId": null
            }
        }
        """;

    public static JObject CustomerJson => ApiClient.Parse(Customer);
}
