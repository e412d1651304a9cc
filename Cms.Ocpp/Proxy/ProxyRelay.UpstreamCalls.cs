using System.Collections.Concurrent;
using Cms.Ocpp.Connection;
using Cms.Ocpp.Framing;
using Newtonsoft.Json.Linq;

namespace Cms.Ocpp.Proxy;

/// <summary>
/// Upstream → charger calls. Whose id is whose: AmpCMS's own calls use ids starting with "amp-"; an upstream id that
/// happens to start with it is rewritten on the way to the charger and restored on the way back, so the charger's
/// answer always finds its owner. The upstream's Set/ClearChargingProfile follow <see cref="ProxyOptions.ChargingProfilePolicy"/>.
/// </summary>
public sealed partial class ProxyRelay
{
    sealed record UpstreamCall(string UpstreamId, string Action);

    /// <summary>Id the charger saw → the upstream's call.</summary>
    readonly ConcurrentDictionary<string, UpstreamCall> _upstreamCallIds = new();

    async Task RelayUpstreamCallAsync(CallFrame call, string raw, CancellationToken ct)
    {
        Log(OcppFrameDirection.Incoming, raw, call, call.Action, "External");
        if (call.Action is "SetChargingProfile" or "ClearChargingProfile")
        {
            switch (_options.ChargingProfilePolicy)
            {
                case UpstreamProfilePolicy.Block:
                    var refusal = new CallResultFrame(call.MessageId,
                        new JObject { ["status"] = call.Action == "SetChargingProfile" ? "Rejected" : "Unknown" });
                    var text = OcppFrameSerializer.Serialize(refusal);
                    if (await SendUpstreamAsync(text)) Log(OcppFrameDirection.Outgoing, text, refusal, call.Action, "AmpCMS");
                    return;
                case UpstreamProfilePolicy.Below when call.Action == "SetChargingProfile" && CapStackLevel(call.Payload) is { } capped:
                    call = call with { Payload = capped };
                    raw = OcppFrameSerializer.Serialize(call);
                    break;
            }
        }

        var toCharger = call;
        if (call.MessageId.StartsWith(ProxyOptions.OwnIdPrefix, StringComparison.Ordinal) || _upstreamCallIds.ContainsKey(call.MessageId))
            toCharger = call with { MessageId = "ext-" + Guid.NewGuid().ToString("N") };
        _upstreamCallIds[toCharger.MessageId] = new UpstreamCall(call.MessageId, call.Action);
        var forward = ReferenceEquals(toCharger, call) ? raw : OcppFrameSerializer.Serialize(toCharger);
        try
        {
            await _charger.SendTextAsync(forward, ct);
            Log(OcppFrameDirection.Outgoing, forward, toCharger, call.Action, "External");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _upstreamCallIds.TryRemove(toCharger.MessageId, out _);
        }
    }

    /// <summary>A copy with the profile's stackLevel capped one below AmpCMS's; null when it is already below.</summary>
    JObject? CapStackLevel(JObject payload)
    {
        var profileKey = Version == OcppVersion.Ocpp16 ? "csChargingProfiles" : "chargingProfile";
        var ceiling = Math.Max(0, _options.AmpStackLevel - 1);
        if (payload[profileKey]?["stackLevel"] is not { Type: JTokenType.Integer } level || (int)level <= ceiling) return null;
        var copy = (JObject)payload.DeepClone();
        copy[profileKey]!["stackLevel"] = ceiling;
        return copy;
    }
}
