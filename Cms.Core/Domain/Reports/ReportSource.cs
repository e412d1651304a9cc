using Cms.Core.Auth;
using Cms.Core.Resources;
using Newtonsoft.Json.Linq;

namespace Cms.Core.Domain.Reports;

/// <summary>
/// One model a report can export: the list endpoint's own query rules (<see cref="ParseQuery"/>) and its own list
/// call, so a report's filters mean exactly what they mean on that endpoint. Registered in DI, one per model.
/// </summary>
public sealed record ReportSource(
    string Model,
    ResourceSpec Spec,
    Func<IEnumerable<KeyValuePair<string, string[]>>, ListRequest> ParseQuery,
    Func<Caller, ListRequest, Task<(List<JObject> Items, long Total)>> ListAsync)
{
    /// <summary>A model served by a <see cref="ResourceService"/> whose list takes the standard query.</summary>
    public static ReportSource Of(string model, ResourceService service, params string[] extraParams) =>
        new(model, service.Spec, query => ListRequest.From(query, service.Spec, extraParams), service.ListAsync);
}
