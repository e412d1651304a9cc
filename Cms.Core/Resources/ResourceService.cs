using System.Data.Common;
using Cms.Core.Auth;
using Cms.Core.Domain;
using Cms.Core.Storage;
using Cms.Core.Time;
using Newtonsoft.Json.Linq;

namespace Cms.Core.Resources;

/// <summary>Shared services every resource service needs.</summary>
public sealed record CoreContext(Database Db, TimeProvider Clock, IIdGenerator Ids, DomainEvents Events);

/// <summary>
/// Create, read, update, delete and list one resource for a caller. Each step runs in one transaction;
/// subclasses add reference checks and domain rules through the hooks.
/// </summary>
public class ResourceService(CoreContext core, ResourceSpec spec)
{
    protected CoreContext Core { get; } = core;
    public ResourceSpec Spec { get; } = spec;
    protected Database Db => Core.Db;
    protected DateTimeOffset Now => Core.Clock.GetUtcNow();

    /// <summary>What a POST body may carry; the API description (OpenAPI) is built from it.</summary>
    public virtual IReadOnlyList<FieldSpec> CreateFields => Spec.Fields;

    /// <summary>What a PATCH body may carry.</summary>
    public virtual IReadOnlyList<FieldSpec> UpdateFields => Spec.Fields.Where(f => !f.Immutable).ToList();

    public virtual async Task<JObject> CreateAsync(Caller caller, JToken? body)
    {
        var values = BodyValidator.Validate(body, Spec, isCreate: true);
        var id = Core.Ids.NewId();
        var row = await Db.WriteAsync(async (conn, tx) =>
        {
            await BeforeWriteAsync(conn, tx, caller, values, existing: null);
            Db.NotifyChanged(Spec.Table);
            await ResourceStore.InsertAsync(conn, tx, Spec, caller.CustomerId, values, Now, id);
            return await ResourceStore.GetRequiredAsync(conn, Spec, caller.CustomerId, id, tx);
        });
        AfterChange(caller, row, "created");
        return Render(row);
    }

    public virtual async Task<JObject> UpdateAsync(Caller caller, string id, JToken? body)
    {
        var values = BodyValidator.Validate(body, Spec, isCreate: false);
        var row = await Db.WriteAsync(async (conn, tx) =>
        {
            var existing = await ResourceStore.GetRequiredAsync(conn, Spec, caller.CustomerId, id, tx);
            await BeforeWriteAsync(conn, tx, caller, values, existing);
            Db.NotifyChanged(Spec.Table);
            if (values.Count > 0)
                await ResourceStore.UpdateAsync(conn, tx, Spec, caller.CustomerId, id, values, Now);
            return await ResourceStore.GetRequiredAsync(conn, Spec, caller.CustomerId, id, tx);
        });
        AfterChange(caller, row, "updated");
        return Render(row);
    }

    /// <summary>Deletes and answers the resource as it was, as the spec's DELETE examples do.</summary>
    public virtual async Task<JObject> DeleteAsync(Caller caller, string id)
    {
        var row = await Db.WriteAsync(async (conn, tx) =>
        {
            var existing = await ResourceStore.GetRequiredAsync(conn, Spec, caller.CustomerId, id, tx);
            await BeforeDeleteAsync(conn, tx, caller, existing);
            Db.NotifyChanged(Spec.Table);
            await ResourceStore.DeleteAsync(conn, tx, Spec, caller.CustomerId, id);
            return existing;
        });
        AfterChange(caller, row, "deleted");
        return Render(row);
    }

    public virtual async Task<JObject> GetAsync(Caller caller, string id) =>
        Render(await Db.ReadAsync(conn => ResourceStore.GetRequiredAsync(conn, Spec, caller.CustomerId, id)));

    /// <summary>List filters the caller must give (the spec marks them required).</summary>
    public virtual IReadOnlyList<string> RequiredListParams => [];

    public virtual async Task<(List<JObject> Items, long Total)> ListAsync(Caller caller, ListRequest request)
    {
        foreach (var param in RequiredListParams)
            if (!request.Filters.ContainsKey(param)) throw ApiFailure.BadRequest(param, "is required");
        var (rows, total) = await Db.ReadAsync(conn => ResourceStore.ListAsync(conn, Spec, caller.CustomerId, request));
        return (rows.Select(Render).ToList(), total);
    }

    protected virtual JObject Render(IDictionary<string, object?> row) => RowRenderer.Render(Spec, row);

    /// <summary>Reference checks and rules; runs inside the write transaction, before anything is written.</summary>
    protected virtual Task BeforeWriteAsync(DbConnection conn, DbTransaction tx, Caller caller,
        Dictionary<string, object?> values, IDictionary<string, object?>? existing) => Task.CompletedTask;

    protected virtual Task BeforeDeleteAsync(DbConnection conn, DbTransaction tx, Caller caller,
        IDictionary<string, object?> existing) => Task.CompletedTask;

    /// <summary>Runs after commit: publish what changed.</summary>
    protected virtual void AfterChange(Caller caller, IDictionary<string, object?> row, string what) { }

    /// <summary>A referenced row must exist in the caller's customer; otherwise the field is named.</summary>
    protected static async Task<IDictionary<string, object?>> RequireReferenceAsync(DbConnection conn, DbTransaction tx,
        ResourceSpec target, string customerId, string field, string id) =>
        await ResourceStore.GetStoredAsync(conn, target, customerId, id, tx)
        ?? throw ApiFailure.Invalid(field, $"{target.Name} {id} does not exist");

    /// <summary>The value a write will leave in place: the new one if given, else the stored one.</summary>
    protected static object? Merged(Dictionary<string, object?> values, IDictionary<string, object?>? existing, string name) =>
        values.TryGetValue(name, out var v) ? v : existing is not null && existing.TryGetValue(name, out var e) && e is not DBNull ? e : null;
}
