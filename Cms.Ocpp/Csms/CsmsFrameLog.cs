using Cms.Core.Domain.Ocpp;
using Cms.Ocpp.Connection;
using Cms.Ocpp.Framing;

namespace Cms.Ocpp.Csms;

/// <summary>Every frame both ways goes to Core's batched OCPP message log.</summary>
public sealed class CsmsFrameLog(OcppMessageLog log) : IOcppFrameLog
{
    public void Record(OcppFrameLogEntry entry)
    {
        var charger = (ChargerAdmitted)entry.Connection.AuthContext!;
        log.Append(new OcppMessageRecord(charger.CustomerId, charger.ChargePointId, charger.OcppId, entry.Timestamp,
            entry.Direction == OcppFrameDirection.Incoming ? "Charger" : "AmpCMS",
            entry.MessageType switch
            {
                OcppMessageType.Call => "Call",
                OcppMessageType.CallResult => "CallResult",
                OcppMessageType.CallError => "CallError",
                _ => null,
            },
            entry.Action, entry.MessageId, entry.Connection.Version.ToSubprotocol(), entry.Raw, null));
    }
}
