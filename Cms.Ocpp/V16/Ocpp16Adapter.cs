using System.Globalization;
using Cms.Core.Domain.Diagnostics;
using Cms.Core.Domain.IdTags;
using Cms.Core.Domain.MeterValues;
using Cms.Core.Domain.Ocpp;
using Cms.Core.Resources;
using Cms.Ocpp.Csms;
using Newtonsoft.Json.Linq;

namespace Cms.Ocpp.V16;

/// <summary>
/// Turns OCPP 1.6 charger→CSMS calls into Core commands and Core answers into 1.6 payloads.
/// Payloads arrive already schema-valid; answers are schema-checked by the connection before sending.
/// </summary>
public sealed class Ocpp16Adapter(ChargerStatus status, ChargerTransactions transactions, DiagnosticsService diagnostics, TimeProvider clock,
    OcppCsmsOptions options)
{
    public async Task<JObject> HandleAsync(ChargerAdmitted charger, string action, JObject p)
    {
        switch (action)
        {
            case "BootNotification":
                await status.BootedAsync(charger, (string)p["chargePointVendor"]!, (string)p["chargePointModel"]!,
                    (string?)p["chargePointSerialNumber"] ?? (string?)p["chargeBoxSerialNumber"], (string?)p["firmwareVersion"], (string?)p["meterType"]);
                return new JObject { ["status"] = "Accepted", ["currentTime"] = Now(), ["interval"] = options.HeartbeatIntervalSeconds };
            case "Heartbeat":
                return new JObject { ["currentTime"] = Now() };
            case "StatusNotification":
                await status.StatusChangedAsync(charger, ConnectorNumber(p, from: 0), (string)p["status"]!, (string?)p["errorCode"], Time(p["timestamp"]));
                return [];
            case "Authorize":
                return new JObject { ["idTagInfo"] = IdTagInfo(await transactions.AuthorizeAsync(charger, (string)p["idTag"]!)) };
            case "StartTransaction":
            {
                var (transactionId, verdict) = await transactions.StartAsync(charger, ConnectorNumber(p, from: 1), (string)p["idTag"]!,
                    (double)p["meterStart"]!, Time(p["timestamp"]) ?? clock.GetUtcNow());
                return new JObject { ["transactionId"] = transactionId, ["idTagInfo"] = IdTagInfo(verdict) };
            }
            case "StopTransaction":
            {
                var idTag = (string?)p["idTag"];
                IdTagVerdict? verdict;
                // A transactionId beyond 64 bits was never ours: acknowledged like any unknown one, so the charger stops resending.
                if (Int64(p["transactionId"]) is not { } stoppedId)
                    verdict = idTag is null ? null : await transactions.AuthorizeAsync(charger, idTag);
                else
                    (_, verdict) = await transactions.StopAsync(charger, stoppedId, idTag,
                        (double)p["meterStop"]!, Time(p["timestamp"]) ?? clock.GetUtcNow(), (string?)p["reason"], 0, p["transactionData"] as JArray);
                return verdict is null ? [] : new JObject { ["idTagInfo"] = IdTagInfo(verdict) };
            }
            case "MeterValues":
                return ReadMeterValues(charger.ChargePointId, p) is { } readings ? await MeterValuesAsync(charger, readings) : [];
            case "DataTransfer":
                // No vendor extensions are understood yet; the spec's answer for that is UnknownVendorId.
                return new JObject { ["status"] = "UnknownVendorId" };
            case "DiagnosticsStatusNotification":
                await diagnostics.StatusChangedAsync(charger, (string)p["status"]!);
                return [];
            case "FirmwareStatusNotification":
            case "LogStatusNotification":
            case "SignedFirmwareStatusNotification":
            case "SecurityEventNotification":
                return []; // kept in the message log, which is where operators read them
            default:
                throw new OcppCallException(OcppErrorCode.NotImplemented, $"{action} is not implemented");
        }
    }

    /// <summary>A schema-valid MeterValues payload as its command; null when it holds no meter value (nothing to store).</summary>
    internal static MeterValuesRequest? ReadMeterValues(string chargePointId, JObject p)
    {
        var meterValue = (JArray)p["meterValue"]!;
        if (meterValue.Count == 0) return null;
        try { return MeterValuesRequest.FromCharger(chargePointId, ConnectorNumber(p, from: 0), MeterTransaction(p), meterValue); }
        catch (ApiFailure bad)
        {
            // Schema-valid but against the meter rules (a unit that does not fit its measurand, …): name the field.
            throw OcppCallException.Violation(bad.Errors.Keys.First(), bad.Message);
        }
    }

    /// <summary>A MeterValues CALL as its command: read whole (<see cref="ReadMeterValues"/>), or straight from its text (<see cref="MeterValuesReader"/>).</summary>
    public async ValueTask<JObject> MeterValuesAsync(ChargerAdmitted charger, MeterValuesRequest readings)
    {
        await transactions.MeterValuesAsync(charger, readings);
        return [];
    }

    /// <summary>The call's connector number: 1.6 numbers them from 0 (the charge point itself; a transaction runs on one
    /// from 1). Anything else is refused naming the field, before a transactionId or a row is spent on it.</summary>
    private static int ConnectorNumber(JObject p, int from) =>
        Int64(p["connectorId"]) is { } n && n >= from && n <= int.MaxValue
            ? (int)n
            : throw OcppCallException.Violation("connectorId", $"connectorId must be a connector number from {from} to {int.MaxValue}" +
                (from == 1 ? " (0 is the charge point)" : "") + $", got {p["connectorId"]}");

    /// <summary>A MeterValues' transactionId, if any: one beyond 64 bits was never handed out, so the readings name nothing.</summary>
    private static long? MeterTransaction(JObject p) =>
        p["transactionId"] is null or { Type: JTokenType.Null } ? null
            : Int64(p["transactionId"]) ?? throw OcppCallException.Violation("transactionId", $"transactionId {p["transactionId"]} was never handed out (beyond 64 bits)");

    /// <summary>A schema-valid integer that fits 64 bits (JSON integers may not), else null.</summary>
    private static long? Int64(JToken? token) => (token as JValue)?.Value switch { long l => l, int i => i, _ => null };

    private string Now() => clock.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static DateTimeOffset? Time(JToken? token) =>
        token is null || token.Type == JTokenType.Null ? null
        : token.Type == JTokenType.Date ? (DateTimeOffset)token
        : DateTimeOffset.Parse((string)token!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private static JObject IdTagInfo(IdTagVerdict verdict)
    {
        var info = new JObject { ["status"] = verdict.Status.ToString() };
        if (verdict.ExpiryDate is { } expiry) info["expiryDate"] = expiry.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        if (verdict.ParentIdTag is { } parent) info["parentIdTag"] = parent;
        return info;
    }
}
