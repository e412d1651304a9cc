using System.Globalization;
using Cms.Core.Domain.Ocpp;
using Cms.Ocpp.Csms;
using Newtonsoft.Json.Linq;

namespace Cms.Ocpp.V201;

/// <summary>
/// OCPP 2.0.1 charger→CSMS calls into the same Core commands as 1.6. So far: BootNotification, Heartbeat,
/// StatusNotification; transactions (TransactionEvent) and the rest answer NotImplemented.
/// </summary>
public sealed class Ocpp201Adapter(ChargerStatus status, TimeProvider clock, OcppCsmsOptions options)
{
    public async Task<JObject> HandleAsync(ChargerAdmitted charger, string action, JObject p)
    {
        switch (action)
        {
            case "BootNotification":
            {
                var station = (JObject)p["chargingStation"]!;
                await status.BootedAsync(charger, (string)station["vendorName"]!, (string)station["model"]!,
                    (string?)station["serialNumber"], (string?)station["firmwareVersion"], null);
                return new JObject { ["currentTime"] = Now(), ["interval"] = options.HeartbeatIntervalSeconds, ["status"] = "Accepted" };
            }
            case "Heartbeat":
                return new JObject { ["currentTime"] = Now() };
            case "StatusNotification":
                // 2.0.1 addresses EVSE + connector; Core numbers connectors per charge point, so the EVSE id is the number
                // (one connector per EVSE, the common case). Occupied has no 1.6 twin: Preparing is the nearest.
                await status.StatusChangedAsync(charger, (int)p["evseId"]!, ToCoreStatus((string)p["connectorStatus"]!), null,
                    DateTimeOffset.Parse((string)p["timestamp"]!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal));
                return [];
            default:
                throw new OcppCallException(OcppErrorCode.NotImplemented, $"OCPP 2.0.1 {action} is not implemented yet");
        }
    }

    private static string ToCoreStatus(string connectorStatus) => connectorStatus == "Occupied" ? "Preparing" : connectorStatus;

    private string Now() => clock.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
