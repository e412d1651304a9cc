using System.Data.Common;
using Cms.Core.Auth;
using Cms.Core.Domain.Networks;
using Cms.Core.Resources;
using Newtonsoft.Json.Linq;

namespace Cms.Core.Domain;

/// <summary>
/// Base of the optimizer's input resources (capacities, prices, price constraints, DR events, baseloads, solar):
/// every row belongs to a network of the caller's customer, lists require ?network=, and POST carries
/// <c>{"networkId": …, "&lt;BatchField&gt;": [ … ]}</c> creating one row per item, all or nothing.
/// Every write publishes <see cref="NetworkChanged"/> for the network so the optimizer reruns.
/// </summary>
public abstract class NetworkInputService(CoreContext core, ResourceSpec spec) : ResourceService(core, spec)
{
    /// <summary>The POST body's array field ("energyPrices"); null when POST is one flat object.</summary>
    public abstract string? BatchField { get; }

    /// <summary>Most items one POST may carry.</summary>
    public virtual int MaxBatch => 1000;

    private IReadOnlyList<FieldSpec> ItemFields => Spec.Fields.Where(f => f.Name != "networkId").ToList();

    /// <summary>POST: validates the envelope and every item (errors named "energyPrices[2].end"), stores all or nothing.</summary>
    public async Task<List<JObject>> CreateBatchAsync(Caller caller, JToken? body)
    {
        if (BatchField is not { } batchField) return [await CreateAsync(caller, body)];
        if (body is not JObject obj) throw ApiFailure.Invalid("body", "must be a JSON object");

        var errors = new Dictionary<string, string>();
        foreach (var prop in obj.Properties())
            if (prop.Name != "networkId" && prop.Name != batchField) errors[prop.Name] = "unknown field";

        string? networkId = null;
        if (obj["networkId"] is not { } networkToken) errors["networkId"] = "is required";
        else if (BodyValidator.TryConvert(Spec.Field("networkId"), networkToken, out var converted) is { } networkError)
            errors["networkId"] = networkError;
        else networkId = (string)converted!;

        var items = new List<Dictionary<string, object?>>();
        if (obj[batchField] is not { } itemsToken) errors[batchField] = "is required";
        else if (itemsToken is not JArray array) errors[batchField] = "must be an array";
        else if (array.Count == 0) errors[batchField] = "must contain at least one item";
        else if (array.Count > MaxBatch) errors[batchField] = $"must contain at most {MaxBatch} items";
        else
        {
            for (var i = 0; i < array.Count; i++)
            {
                var prefix = $"{batchField}[{i}]";
                if (array[i] is not JObject)
                {
                    errors[prefix] = "must be a JSON object";
                    continue;
                }
                try
                {
                    var values = BodyValidator.Validate(array[i], ItemFields, isCreate: true);
                    CheckRules(values, existing: null, prefix + ".", errors);
                    items.Add(values);
                }
                catch (ApiFailure failure)
                {
                    foreach (var (field, reason) in failure.Errors) errors[$"{prefix}.{field}"] = reason;
                }
            }
        }
        if (errors.Count > 0) throw new ApiFailure(400, errors);

        var rows = await Db.WriteAsync(async (conn, tx) =>
        {
            var network = await RequireReferenceAsync(conn, tx, NetworkResource.Spec, caller.CustomerId, "networkId", networkId!);
            var created = new List<IDictionary<string, object?>>();
            for (var i = 0; i < items.Count; i++)
            {
                items[i]["networkId"] = networkId;
                CheckAgainstNetwork(network, items[i], $"{batchField}[{i}].", errors);
            }
            if (errors.Count > 0) throw new ApiFailure(400, errors);
            foreach (var values in items)
            {
                var id = Core.Ids.NewId();
                await ResourceStore.InsertAsync(conn, tx, Spec, caller.CustomerId, values, Now, id);
                created.Add(await ResourceStore.GetRequiredAsync(conn, Spec, caller.CustomerId, id, tx));
            }
            return created;
        });
        Core.Events.Publish(new NetworkChanged(caller.CustomerId, networkId!, $"{Spec.Name} created"));
        return rows.Select(Render).ToList();
    }

    /// <summary>Every list is per network, as the spec marks ?network= required.</summary>
    public override IReadOnlyList<string> RequiredListParams => ["network"];

    public override Task<(List<JObject> Items, long Total)> ListAsync(Caller caller, ListRequest request)
    {
        if (request.Filters.TryGetValue("start", out var s) && request.Filters.TryGetValue("end", out var e)
            && Filters.ParseTime("start", s[^1]) >= Filters.ParseTime("end", e[^1]))
            throw ApiFailure.BadRequest("end", "must be after start");
        return base.ListAsync(caller, request);
    }

    protected override async Task BeforeWriteAsync(DbConnection conn, DbTransaction tx, Caller caller,
        Dictionary<string, object?> values, IDictionary<string, object?>? existing)
    {
        var networkId = (string)Merged(values, existing, "networkId")!;
        var network = await RequireReferenceAsync(conn, tx, NetworkResource.Spec, caller.CustomerId, "networkId", networkId);
        var errors = new Dictionary<string, string>();
        CheckRules(values, existing, "", errors);
        CheckAgainstNetwork(network, values, "", errors);
        if (errors.Count > 0) throw new ApiFailure(400, errors);
    }

    /// <summary>Rules within one item. Intervals: start must be before end (checked on the merged values of a PATCH).</summary>
    protected virtual void CheckRules(Dictionary<string, object?> values, IDictionary<string, object?>? existing,
        string prefix, Dictionary<string, string> errors)
    {
        if (Spec.Fields.All(f => f.Name != "start")) return;
        if (!values.ContainsKey("start") && !values.ContainsKey("end")) return;
        if (AsTime(Merged(values, existing, "start")) is { } start && AsTime(Merged(values, existing, "end")) is { } end && start >= end)
            errors[prefix + (values.ContainsKey("end") ? "end" : "start")] = "must be after start (start < end)";
    }

    /// <summary>Rules that need the network row (only the fields being written are in <paramref name="values"/>).</summary>
    protected virtual void CheckAgainstNetwork(IDictionary<string, object?> network, IDictionary<string, object?> values,
        string prefix, Dictionary<string, string> errors) { }

    protected override void AfterChange(Caller caller, IDictionary<string, object?> row, string what) =>
        Core.Events.Publish(new NetworkChanged(caller.CustomerId, (string)row["networkId"]!, $"{Spec.Name} {what}"));

    protected static DateTimeOffset? AsTime(object? value) => value switch
    {
        DateTimeOffset t => t,
        string s => Iso.Parse(s),
        _ => null,
    };

    /// <summary>Rows overlapping [start, end): an interval that ends at or before start, or begins at or after end, is out.</summary>
    public static readonly FilterSpec OverlapStart = new("start", (values, p) =>
        $"t.\"end\" > {p.Add(Iso.Format(Filters.ParseTime("start", values[^1])))}") { Type = FieldType.DateTime };

    public static readonly FilterSpec OverlapEnd = new("end", (values, p) =>
        $"t.\"start\" < {p.Add(Iso.Format(Filters.ParseTime("end", values[^1])))}") { Type = FieldType.DateTime };
}
