using Cms.Core.Domain.Alerts;
using Cms.Core.Domain.Ocpp;
using Cms.Ocpp.Connection;
using Cms.Ocpp.Framing;
using Newtonsoft.Json.Linq;

namespace Cms.Ocpp.Csms;

/// <summary>Every frame both ways goes to Core's batched OCPP message log; the charger's answers to our calls also feed CALL_ERROR alerts.</summary>
public sealed class CsmsFrameLog(OcppMessageLog log, AlertEngine alerts) : IOcppFrameLog
{
    public void Record(OcppFrameLogEntry entry)
    {
        var charger = (ChargerAdmitted)entry.Connection.AuthContext!;
        log.Append(new OcppMessageRecord(charger.CustomerId, charger.ChargePointId, charger.OcppId, entry.Timestamp,
            entry.Source ?? (entry.Direction == OcppFrameDirection.Incoming ? "Charger" : "AmpCMS"),
            entry.MessageType switch
            {
                OcppMessageType.Call => "Call",
                OcppMessageType.CallResult => "CallResult",
                OcppMessageType.CallError => "CallError",
                _ => null,
            },
            entry.Action, entry.MessageId, entry.Connection.Version.ToSubprotocol(), entry.Raw, null));
        if (entry.Direction == OcppFrameDirection.Incoming && entry.Source is null or "Charger") ObserveAnswer(charger, entry);
    }

    /// <summary>A CALLERROR from the charger is rare and parsed here; a CALLRESULT is passed on only while that charger has a CALL_ERROR open.</summary>
    private void ObserveAnswer(ChargerAdmitted charger, OcppFrameLogEntry entry)
    {
        if (entry.MessageType == OcppMessageType.CallError)
        {
            string code = "GenericError";
            string? description = null;
            try
            {
                var frame = JArray.Parse(entry.Raw);
                if (frame.Count > 2 && frame[2].Type == JTokenType.String) code = (string)frame[2]!;
                description = frame.Count > 3 && frame[3].Type == JTokenType.String ? (string)frame[3]! : null;
            }
            catch (Newtonsoft.Json.JsonException) { /* the frame parser accepted it; keep the generic code */ }
            alerts.Enqueue(new CallErrorReceived(charger.CustomerId, charger.NetworkId, charger.ChargePointId, entry.Action, code, description,
                entry.Timestamp));
        }
        else if (entry.MessageType == OcppMessageType.CallResult && alerts.HasOpenCallError(charger.ChargePointId))
            alerts.Enqueue(new CallAnswered(charger.CustomerId, charger.NetworkId, charger.ChargePointId, entry.Action, entry.Timestamp));
    }
}
