using System.Data.Common;
using Cms.Core.Auth;
using Cms.Core.Domain.Cdrs;
using Cms.Core.Domain.ChargePoints;
using Cms.Core.Resources;
using Dapper;
using Newtonsoft.Json.Linq;

namespace Cms.Core.Domain.Sessions;

/// <summary>
/// Charging sessions: start (POST), update or close (PATCH), stop (DELETE, the row stays with sessionEnd set), read and list.
/// A connector has at most one open session. Every change publishes <see cref="NetworkChanged"/> for reoptimization.
/// </summary>
public sealed class SessionService : ResourceService
{
    private readonly bool _vehiclesTable;

    public SessionService(CoreContext core) : this(core, VehicleLink.TableExists(core.Db)) { }

    private SessionService(CoreContext core, bool vehiclesTable) : base(core, SessionResource.Build(vehiclesTable)) =>
        _vehiclesTable = vehiclesTable;

    public override IReadOnlyList<FieldSpec> CreateFields => SessionResource.CreateFields;
    public override IReadOnlyList<FieldSpec> UpdateFields => SessionResource.UpdateFields;

    private IEnumerable<string> DerivedNames => Spec.Derived.Select(d => d.Name);

    public override Task<JObject> CreateAsync(Caller caller, JToken? body) => CreateAsync(caller, body, new Dictionary<string, object?>());

    /// <summary>
    /// Creates with server-set columns written in the same insert (a 2.0.1 station's transaction id, its EVSE, …), so a
    /// session never exists without them.
    /// </summary>
    public Task<JObject> CreateAsync(Caller caller, JToken? body, IReadOnlyDictionary<string, object?> serverSet)
    {
        var values = BodyValidator.Validate(body, SessionResource.CreateFields, isCreate: true, DerivedNames);
        foreach (var (name, value) in serverSet) values[name] = value;
        return StartAsync(caller, values);
    }

    /// <summary>Starts a session from a charger's typed command, under the same rules as POST.</summary>
    public Task<JObject> StartAsync(Caller caller, StartSession command)
    {
        var values = command.ToValues();
        foreach (var field in SessionResource.CreateFields)
            if (!field.ReadOnly && field.Default is not null) values.TryAdd(field.Name, field.Default);
        return StartAsync(caller, values);
    }

    private async Task<JObject> StartAsync(Caller caller, Dictionary<string, object?> values)
    {
        var id = Core.Ids.NewId();
        var now = Now;
        var row = await Db.WriteAsync(async (conn, tx) =>
        {
            var chargePointId = (string)values["chargePointId"]!;
            var chargePoint = await RequireReferenceAsync(conn, tx, ChargePointResource.Spec, caller.CustomerId, "chargePointId", chargePointId);
            var connector = await ConnectorRef.ResolveAsync(conn, tx, caller.CustomerId, chargePointId, (string)values["connectorId"]!);
            var open = await conn.QueryFirstOrDefaultAsync<string>(
                "SELECT id FROM charging_sessions_live WHERE connectorId = @id", new { id = connector.Id }, tx);
            if (open is not null)
                throw ApiFailure.Conflict("connectorId",
                    $"connector {connector.Id} already has an active charging session ({open}); stop it before starting another");
            if (values.TryGetValue("vehicleId", out var vehicleId) && vehicleId is string v)
                await RequireVehicleAsync(conn, tx, caller.CustomerId, v);

            values["connectorId"] = connector.Id;
            values["connectorNumber"] = connector.Number;
            values["networkId"] = chargePoint.Str("networkId");
            // The spec: ocppTransactionStart, when given, is the session's start (unless a charger's command set it apart).
            if (!(values.TryGetValue("sessionStart", out var set) && set is DateTimeOffset))
                values["sessionStart"] = values.TryGetValue("ocppTransactionStart", out var started) && started is DateTimeOffset s ? s : now;
            Db.NotifyChanged(Spec.Table);
            await ResourceStore.InsertAsync(conn, tx, Spec, caller.CustomerId, values, now, id);
            return await LoadRequiredAsync(conn, caller.CustomerId, id, tx);
        });
        AfterChange(caller, row, "started");
        return Render(row);
    }

    /// <summary>
    /// Updates; a meterStop or ocppTransactionStop closes the session (sessionEnd = ocppTransactionStop, else now).
    /// priority is refused on a request that closes (400) and on a session already ended (409).
    /// </summary>
    public override Task<JObject> UpdateAsync(Caller caller, string id, JToken? body) =>
        UpdateAsync(caller, id, BodyValidator.Validate(body, SessionResource.UpdateFields, isCreate: false, DerivedNames));

    /// <summary>Closes a session from a charger's typed command, under the same rules as PATCH.</summary>
    public Task<JObject> CloseAsync(Caller caller, string id, CloseSession command) => UpdateAsync(caller, id, command.ToValues());

    private async Task<JObject> UpdateAsync(Caller caller, string id, Dictionary<string, object?> values)
    {
        if (values.Count == 0)
            throw ApiFailure.BadRequest("body", "one of " + string.Join(", ", SessionResource.UpdatableNames) + " is required");
        var closingField = values.ContainsKey("ocppTransactionStop") ? "ocppTransactionStop"
            : values.ContainsKey("meterStop") ? "meterStop" : null;
        if (closingField is not null && values.ContainsKey("priority"))
            throw ApiFailure.BadRequest("priority", $"cannot be set when the session is being closed ({closingField} given)");

        var row = await Db.WriteAsync(async (conn, tx) =>
        {
            var existing = await LoadRequiredAsync(conn, caller.CustomerId, id, tx);
            var ended = existing.Str("sessionEnd");
            if (ended is not null && closingField is not null)
                throw ApiFailure.Conflict(closingField, $"charging session already ended at {ended}");
            if (ended is not null && values.ContainsKey("priority"))
                throw ApiFailure.Conflict("priority", $"cannot be set on a charging session that ended at {ended}");
            if (values.TryGetValue("vehicleId", out var vehicleId) && vehicleId is string v)
                await RequireVehicleAsync(conn, tx, caller.CustomerId, v);
            if (values.TryGetValue("meterStop", out var stop) && existing.Double("meterStart") is { } meterStart && (double)stop! < meterStart)
                throw ApiFailure.Invalid("meterStop", $"must be >= meterStart ({meterStart})");
            if (closingField is not null)
            {
                var start = Iso.Parse(existing.Str("sessionStart")!);
                if (values.TryGetValue("sessionEnd", out var end) && end is DateTimeOffset sessionEnd)
                    AddClose(values, existing, sessionEnd); // a charger's command: its own timeline, kept at or after the start
                else if (values.TryGetValue("ocppTransactionStop", out var t) && (DateTimeOffset)t! < start)
                    throw ApiFailure.Invalid("ocppTransactionStop", $"must not be before sessionStart ({existing.Str("sessionStart")})");
                else
                    AddClose(values, existing, values.TryGetValue("ocppTransactionStop", out var at) ? (DateTimeOffset)at! : Now);
            }
            Db.NotifyChanged(Spec.Table);
            await ResourceStore.UpdateAsync(conn, tx, Spec, caller.CustomerId, existing.Str("id")!, values, Now);
            if (closingField is not null) await CdrWriter.AddForClosedSessionAsync(conn, tx, Core, caller.CustomerId, existing.Str("id")!);
            return await LoadRequiredAsync(conn, caller.CustomerId, id, tx);
        });
        AfterChange(caller, row, closingField is null ? "updated" : "stopped");
        return Render(row);
    }

    /// <summary>DELETE is "stop": the session stays, with sessionEnd set. Stopping an ended session changes nothing and answers it.</summary>
    public override Task<JObject> DeleteAsync(Caller caller, string id) => StopAsync(caller, id, transactionId: null);

    /// <summary>
    /// Stops the session; with <paramref name="transactionId"/> only if it is that session's transactionId, otherwise 404
    /// naming transaction_id (the pair session/transaction does not exist), so a late stop of an old transaction
    /// never ends the session that replaced it.
    /// </summary>
    public async Task<JObject> StopAsync(Caller caller, string id, long? transactionId)
    {
        var changed = false;
        var row = await Db.WriteAsync(async (conn, tx) =>
        {
            var existing = await LoadRequiredAsync(conn, caller.CustomerId, id, tx);
            if (transactionId is { } wanted && existing.Long("transactionId") != wanted)
                throw new ApiFailure(404, "transaction_id", $"charging session {id} has no transaction {wanted}");
            if (existing.Str("sessionEnd") is not null) return existing;
            var values = new Dictionary<string, object?>();
            AddClose(values, existing, Now);
            Db.NotifyChanged(Spec.Table);
            await ResourceStore.UpdateAsync(conn, tx, Spec, caller.CustomerId, existing.Str("id")!, values, Now);
            await CdrWriter.AddForClosedSessionAsync(conn, tx, Core, caller.CustomerId, existing.Str("id")!);
            changed = true;
            return await LoadRequiredAsync(conn, caller.CustomerId, id, tx);
        });
        if (changed) AfterChange(caller, row, "stopped");
        return Render(row);
    }

    public override async Task<JObject> GetAsync(Caller caller, string id) =>
        Render(await Db.ReadAsync(conn => LoadRequiredAsync(conn, caller.CustomerId, id, null)));

    /// <summary>
    /// Scoped by network, vehicle or transaction_id (required, as the spec says). Open sessions only, unless both start
    /// and end are given: then every session overlapping that window. isActive=false without the window is refused
    /// rather than answered with an always-empty list.
    /// </summary>
    public override async Task<(List<JObject> Items, long Total)> ListAsync(Caller caller, ListRequest request)
    {
        var filters = request.Filters;
        if (!SessionResource.ScopeParams.Any(filters.ContainsKey))
            throw ApiFailure.BadRequest("network", "one of network, vehicle, transaction_id or stationTransactionId is required");
        var window = SessionResource.WindowParams.All(filters.ContainsKey);
        var extraWhere = new List<string>();
        if (window)
        {
            var start = Filters.ParseTime("start", filters["start"][^1]);
            var end = Filters.ParseTime("end", filters["end"][^1]);
            if (end < start) throw ApiFailure.BadRequest("end", "must not be before start");
        }
        else
        {
            foreach (var param in new[] { "isActive", "active" })
                if (filters.TryGetValue(param, out var v) && !Filters.ParseBool(param, v[^1]))
                    throw ApiFailure.BadRequest("start", "start and end are required to list ended charging sessions");
            extraWhere.Add("t.sessionEnd IS NULL");
        }
        var p = NowParams();
        var (rows, total) = await Db.ReadAsync(conn => ResourceStore.ListAsync(conn, Spec, caller.CustomerId, request, extraWhere, p));
        return (rows.Select(Render).ToList(), total);
    }

    protected override void AfterChange(Caller caller, IDictionary<string, object?> row, string what) =>
        Core.Events.Publish(new NetworkChanged(caller.CustomerId, row.Str("networkId")!, "charging session " + what));

    /// <summary>The one place a session checks its vehicle (see <see cref="VehicleLink"/>).</summary>
    private async Task RequireVehicleAsync(DbConnection conn, DbTransaction tx, string customerId, string vehicleId)
    {
        if (!await VehicleLink.ExistsAsync(conn, tx, _vehiclesTable, customerId, vehicleId))
            throw ApiFailure.Invalid("vehicleId", $"vehicle {vehicleId} does not exist");
    }

    /// <summary>Closing: sessionEnd (never before sessionStart), and nothing is being drawn any more.</summary>
    private static void AddClose(Dictionary<string, object?> values, IDictionary<string, object?> existing, DateTimeOffset at)
    {
        var start = Iso.Parse(existing.Str("sessionStart")!);
        values["sessionEnd"] = at < start ? start : at;
        values["currentChargingLoad"] = existing.Double("currentChargingLoad") is null ? null : 0.0;
    }

    private SqlParams NowParams()
    {
        var p = new SqlParams();
        p.Values.Add("now", Iso.Format(Now));
        return p;
    }

    /// <summary>One session with its derived fields (the duration of an open one runs to the injected clock's now).</summary>
    private async Task<IDictionary<string, object?>> LoadRequiredAsync(DbConnection conn, string customerId, string id, DbTransaction? tx)
    {
        if (Guid.TryParse(id, out var g))
        {
            var rows = await conn.QueryAsync($"{ResourceStore.Select(Spec)} WHERE t.id = @id AND t.customerId = @customerId",
                new { id = g.ToString(), customerId, now = Iso.Format(Now) }, tx);
            if (rows.FirstOrDefault() is IDictionary<string, object?> row) return row;
        }
        throw ApiFailure.NotFound(Spec.Name, id);
    }
}
