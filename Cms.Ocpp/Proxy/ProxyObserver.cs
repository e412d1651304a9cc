using Cms.Core.Domain.Ocpp;
using Cms.Ocpp.Connection;
using Newtonsoft.Json.Linq;

namespace Cms.Ocpp.Proxy;

/// <summary>
/// "Observe" mode: a charger call the upstream answered goes through the same handlers as in cms mode, so the domain
/// (boot data, statuses, sessions, meter values, events) is the same; the handlers' own answer is dropped. The one
/// difference: a 1.6 StartTransaction's session takes the upstream's transactionId.
/// </summary>
public sealed class ProxyObserver(IOcppCallHandler handler, ChargerTransactions transactions, TimeProvider clock)
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
}
