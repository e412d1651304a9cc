using Cms.Core.Domain.Ocpp;
using Cms.Core.Domain.Proxy;
using Cms.Ocpp.Connection;
using Newtonsoft.Json.Linq;

namespace Cms.Ocpp.Proxy;

/// <summary>
/// "Observe" mode: a charger call the upstream answered goes through the same handlers as in cms mode, so the domain
/// (boot data, statuses, sessions, meter values, events) is the same; the handlers' own answer is dropped. The one
/// difference: a 1.6 StartTransaction's session takes the upstream's transactionId.
/// A call the upstream refused (CALLERROR) is not applied, see <see cref="RefusedAsync"/>.
/// </summary>
public sealed class ProxyObserver(IOcppCallHandler handler, ChargerTransactions transactions, ProxyRefusals refusals, TimeProvider clock)
{
    public async Task ObserveAsync(OcppConnectionInfo connection, string action, JObject request, JObject answer, CancellationToken ct)
    {
        if (connection.Version == OcppVersion.Ocpp16 && action == "StartTransaction" && answer["transactionId"] is { } id)
        {
            var charger = (ChargerAdmitted)connection.AuthContext!;
            var timestamp = request["timestamp"] is { Type: JTokenType.Date or JTokenType.String } t
                ? DateTimeOffset.Parse(t.Type == JTokenType.Date ? ((DateTime)t).ToString("O") : (string)t!, System.Globalization.CultureInfo.InvariantCulture)
                : clock.GetUtcNow();
            await transactions.StartAsync(charger, (int)request["connectorId"]!, (string)request["idTag"]!, (double)request["meterStart"]!,
                timestamp, (long)id);
            return;
        }
        await handler.HandleAsync(connection, action, request, ct);
    }

    /// <summary>
    /// The upstream refused a charger call. Live, the call is not applied: no session for a refused transaction start,
    /// no boot data for a refused boot, an open session stays open when its stop is refused (the charger resends
    /// transaction messages; an accepted resend closes it). Only readings are still recorded (MeterValues,
    /// StatusNotification): they are measurements the optimizer needs to keep the site within its capacity, whatever the
    /// upstream thinks of them. Replayed (AmpCMS answered it during an outage and already applied it): a refused
    /// transaction start closes the session AmpCMS opened for it. Returns what AmpCMS did, for the ocpp_event.
    /// </summary>
    public async Task<string> RefusedAsync(OcppConnectionInfo connection, string action, JObject request, bool replayed, long? localTransactionId,
        CancellationToken ct)
    {
        var charger = (ChargerAdmitted)connection.AuthContext!;
        if (replayed)
        {
            var closed = (action, localTransactionId) switch
            {
                ("StartTransaction", { } local) => await refusals.CloseRefusedAsync(charger, local, null),
                ("TransactionEvent", _) when (string?)request["eventType"] == "Started" =>
                    await refusals.CloseRefusedAsync(charger, null, (string?)request["transactionInfo"]?["transactionId"]),
                _ => false,
            };
            return closed
                ? $"the session AmpCMS opened for it during the outage is closed (stopReason {ProxyRefusals.StopReason})"
                : "AmpCMS had answered it during the outage; its records stay";
        }
        if (action is "MeterValues" or "StatusNotification")
        {
            await handler.HandleAsync(connection, action, request, ct);
            return "the charger got the CALLERROR; AmpCMS still records its readings";
        }
        return action switch
        {
            "StartTransaction" => "the charger got the CALLERROR; AmpCMS opened no session",
            "TransactionEvent" when (string?)request["eventType"] == "Started" =>
                "the charger got the CALLERROR; AmpCMS opens no session for this transaction",
            _ => "the charger got the CALLERROR; AmpCMS did not apply the call",
        };
    }
}
