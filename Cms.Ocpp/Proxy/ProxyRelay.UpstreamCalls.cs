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
        if (_chargerGone)
        {
            // A relay replaying the queue of a charger that left: nobody can answer the upstream's call but AmpCMS.
            await AnswerUpstreamAsync(OcppFrameSerializer.Error(call.MessageId, OcppErrorCode.GenericError, Version, "the charger is not connected"), call.Action);
            return;
        }
        if (_options.ChargingProfilePolicy == UpstreamProfilePolicy.Block && call.Action is "SetChargingProfile" or "ClearChargingProfile")
        {
            await AnswerUpstreamAsync(Refusal(call), call.Action);
            return;
        }
        if (_options.ChargingProfilePolicy == UpstreamProfilePolicy.Below)
        {
            var outcome = UpstreamProfiles.ForCharger(Version, call.Action, call.Payload, Math.Max(0, _options.AmpStackLevel - 1));
            if (outcome.Refused)
            {
                await AnswerUpstreamAsync(Refusal(call), call.Action);
                return;
            }
            if (outcome.Rewritten is { } rewritten)
            {
                call = call with { Payload = rewritten };
                raw = OcppFrameSerializer.Serialize(call);
            }
        }

        var toCharger = call;
        if (call.MessageId.StartsWith(ProxyOptions.OwnIdPrefix, StringComparison.Ordinal) || _upstreamCallIds.ContainsKey(call.MessageId))
            toCharger = call with { MessageId = "ext-" + Guid.NewGuid().ToString("N") };
        _upstreamCallIds[toCharger.MessageId] = new UpstreamCall(call.MessageId, call.Action);
        var forward = ReferenceEquals(toCharger, call) ? raw : OcppFrameSerializer.Serialize(toCharger);
        try
        {
            Log(OcppFrameDirection.Outgoing, forward, toCharger, call.Action, "External"); // first: see SendToChargerAsync
            await _charger.SendTextAsync(forward, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _upstreamCallIds.TryRemove(toCharger.MessageId, out _);
        }
    }

    /// <summary>AmpCMS's own "no" to an upstream profile call: SetChargingProfile Rejected, anything else (Clear…) Unknown.</summary>
    static CallResultFrame Refusal(CallFrame call) =>
        new(call.MessageId, new JObject { ["status"] = call.Action is "SetChargingProfile" or "RemoteStartTransaction" or "RequestStartTransaction"
            ? "Rejected" : call.Action == "GetChargingProfiles" ? "NoProfiles" : "Unknown" });

    async Task AnswerUpstreamAsync(OcppFrame answer, string action)
    {
        var text = OcppFrameSerializer.Serialize(answer);
        if (await SendUpstreamAsync(text)) Log(OcppFrameDirection.Outgoing, text, answer, action, "AmpCMS");
    }
}
