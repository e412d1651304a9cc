using System.Globalization;
using Cms.Core.Domain.Delivery;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Cms.Ocpp.V16;

/// <summary>
/// What the SetChargingProfile.req of many sessions of one delivery run share: everything but connectorId,
/// chargingProfileId and transactionId. The 1.6 schema types those three as plain integers, so a sample payload of the
/// shape stands for all of them in the schema check; the shared text is serialized once and each session's payload is
/// rendered around it, the same text <see cref="SetChargingProfile16.Payload"/> serializes to.
/// </summary>
public sealed class SetChargingProfile16Shape
{
    private readonly string _shared;
    private readonly bool _withTransaction;

    public SetChargingProfile16Shape(ChargingProfileRequest sample)
    {
        Sample = SetChargingProfile16.Payload(sample);
        var profile = (JObject)Sample["csChargingProfiles"]!.DeepClone();
        profile.Remove("chargingProfileId");
        profile.Remove("transactionId");
        var text = profile.ToString(Formatting.None); // {"stackLevel":…,"chargingSchedule":{…}}
        _shared = "," + text[1..^1];
        _withTransaction = sample.TransactionId is not null;
    }

    /// <summary>The full payload of the request this shape was made from, to check against the schema.</summary>
    public JObject Sample { get; }

    /// <summary>The key under which requests share this shape: the request with the three per-session integers zeroed.</summary>
    public static ChargingProfileRequest KeyOf(ChargingProfileRequest r) =>
        r with { ConnectorNumber = 0, ChargingProfileId = 0, TransactionId = r.TransactionId is null ? null : 0 };

    /// <summary>The payload of <paramref name="r"/> (which must have this shape's key) as JSON text.</summary>
    public string Render(ChargingProfileRequest r)
    {
        if (r.TransactionId is not null != _withTransaction) throw new ArgumentException("not of this shape", nameof(r));
        var connector = r.ConnectorNumber.ToString(CultureInfo.InvariantCulture);
        var id = r.ChargingProfileId.ToString(CultureInfo.InvariantCulture);
        return r.TransactionId is { } tx
            ? string.Concat("{\"connectorId\":", connector, ",\"csChargingProfiles\":{\"chargingProfileId\":", id, _shared,
                ",\"transactionId\":" + tx.ToString(CultureInfo.InvariantCulture), "}}")
            : string.Concat("{\"connectorId\":", connector, ",\"csChargingProfiles\":{\"chargingProfileId\":", id, _shared, "}}");
    }
}
