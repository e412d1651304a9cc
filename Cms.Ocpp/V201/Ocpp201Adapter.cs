using Cms.Core.Domain.Ocpp;
using Newtonsoft.Json.Linq;

namespace Cms.Ocpp.V201;

/// <summary>OCPP 2.0.1 charger→CSMS calls go to the handler of their action; an action without one answers NotImplemented.</summary>
public sealed class Ocpp201Adapter(IEnumerable<IOcpp201Handler> handlers)
{
    private readonly Dictionary<string, IOcpp201Handler> _byAction = handlers.ToDictionary(h => h.Action, StringComparer.Ordinal);

    public IReadOnlyCollection<string> Actions => _byAction.Keys;

    public Task<JObject> HandleAsync(ChargerAdmitted charger, string action, JObject payload) =>
        _byAction.TryGetValue(action, out var handler)
            ? handler.HandleAsync(charger, payload)
            : throw new OcppCallException(OcppErrorCode.NotImplemented, $"OCPP 2.0.1 {action} is not implemented");
}
