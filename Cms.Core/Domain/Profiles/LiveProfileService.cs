using System.Data.Common;
using Cms.Core.Auth;
using Cms.Core.Domain.MeterValues;
using Cms.Core.Domain.Planning;
using Cms.Core.Domain.StatusHistory;
using Cms.Core.Resources;
using Dapper;
using Newtonsoft.Json.Linq;

namespace Cms.Core.Domain.Profiles;

/// <summary>
/// /v2/profiles/ series of what chargers and vehicles reported: meter values (power kW, energy kWh, frequency Hz, SoC %,
/// temperature K, voltage V), telematics SoC, connectivity and uptime (0..1), and the OCPP status sequence. Same shape as
/// the other profiles: <c>{scope ids, "start", "end", "unit", "resolution", "timestamps": […], "values": […]}</c>; values are
/// time-weighted averages per step (energy: kWh consumed in the step). Without start/end: the last 24 hours.
/// </summary>
public sealed class LiveProfileService(CoreContext core)
{
    private static readonly TimeSpan DefaultWindow = TimeSpan.FromHours(24);

    private sealed record MeterProfile(string Measurand, string Unit, string[] Scopes, string[] Required, bool SumPhases,
        Func<double, string?, double?> Convert);

    private static double? Plain(double value, string? unit) => value;

    private static readonly Dictionary<string, MeterProfile> Meter = new()
    {
        ["power"] = new(Measurands.PowerActiveImport, "kW", ["network", "chargepoint", "connector"], [], true, MeterMath.ToKw),
        ["energy"] = new(Measurands.EnergyActiveImportRegister, "kWh", ["network", "chargepoint", "connector", "vehicle"], [], true, MeterMath.ToKwh),
        ["frequency"] = new("Frequency", "Hz", ["connector"], ["connector"], false, Plain),
        ["soc"] = new("SoC", "%", ["connector", "vehicle"], [], false, Plain),
        ["temperature"] = new("Temperature", "K", ["connector"], ["connector"], false, MeterSeries.ToKelvin),
        ["voltage"] = new("Voltage", "V", ["connector"], ["connector"], false, Plain),
    };

    public static IEnumerable<string> MeterProfiles => Meter.Keys;

    private static readonly Dictionary<string, (string Table, string Column)> ScopeColumns = new()
    {
        ["network"] = ("networks", "\"networkId\""), ["chargepoint"] = ("charge_points", "\"chargePointId\""),
        ["connector"] = ("connectors", "\"connector\""), ["vehicle"] = ("vehicles", "\"vehicleId\""),
    };

    public async Task<(JObject Data, long Total)> MeterValuesAsync(Caller caller, string type, IEnumerable<KeyValuePair<string, string[]>> query)
    {
        var profile = Meter[type];
        var q = ProfileQuery.Parse(query, [.. profile.Scopes, "start", "end", "resolution"], requireNetwork: false);
        var scopes = Scopes(q, profile.Scopes);
        foreach (var required in profile.Required)
            if (!scopes.ContainsKey(required)) throw ApiFailure.BadRequest(required, "is required");
        if (scopes.Count == 0) throw ApiFailure.BadRequest(profile.Scopes[0], "one of " + string.Join(", ", profile.Scopes) + " is required");
        var (start, end, name, step) = Window(q);
        return await core.Db.ReadAsync(async conn =>
        {
            await RequireAsync(conn, caller, scopes);
            var where = string.Join(" AND ", scopes.Keys.Select(s => $"{ScopeColumns[s].Column} = @{s}"));
            var p = new DynamicParameters(scopes.ToDictionary(s => s.Key, s => (object?)s.Value));
            p.Add("customerId", caller.CustomerId);
            p.Add("measurand", profile.Measurand);
            // Readings from a little before start hold into the window.
            p.Add("from", Iso.Format(start - MeterSeries.Hold));
            p.Add("to", Iso.Format(end));
            var rows = await conn.QueryAsync<MeterSeries.Row>(
                "SELECT COALESCE(\"connector\", \"chargePointId\" || ':' || \"connectorId\", '') AS \"Key\", \"timestamp\" AS \"Timestamp\", " +
                "\"measurand\" AS \"Measurand\", \"phase\" AS \"Phase\", \"unit\" AS \"Unit\", \"location\" AS \"Location\", \"value\" AS \"Value\" " +
                $"FROM {Storage.TrafficJournal.MeterReadings.ReadView} WHERE customerId = @customerId AND {where} AND \"measurand\" = @measurand AND \"timestamp\" >= @from AND \"timestamp\" < @to",
                p);
            var readings = MeterSeries.Readings(rows, profile.SumPhases, profile.Convert).Values;
            var points = type == "energy" ? MeterSeries.EnergyPerBucket(readings, start, end, step)
                : type == "power" ? MeterSeries.SumOfAverages(readings, start, end, step)
                // One connector (or vehicle): the sum over keys is that key's average.
                : MeterSeries.SumOfAverages(readings.Take(1), start, end, step);
            return Series(scopes, start, end, profile.Unit, name, points);
        });
    }

    /// <summary>/v2/profiles/telematics/soc: the vehicle's stateOfCharge samples; end defaults to now, start to a week before end.</summary>
    public async Task<(JObject Data, long Total)> TelematicsSocAsync(Caller caller, IEnumerable<KeyValuePair<string, string[]>> query)
    {
        var q = ProfileQuery.Parse(query, ["vehicle", "start", "end", "resolution"], requireNetwork: false);
        var scopes = Scopes(q, ["vehicle"]);
        if (!scopes.TryGetValue("vehicle", out var vehicle)) throw ApiFailure.BadRequest("vehicle", "is required");
        var now = core.Clock.GetUtcNow();
        var (start, end) = q.Window(now - TimeSpan.FromDays(7), now, maxWindow: null);
        var (name, step) = q.Resolution(end - start);
        return await core.Db.ReadAsync(async conn =>
        {
            await RequireAsync(conn, caller, scopes);
            var rows = await conn.QueryAsync<(string At, double Soc)>(
                "SELECT \"timestamp\", \"stateOfCharge\" FROM vehicle_telematics WHERE customerId = @customerId AND \"vehicleId\" = @vehicle " +
                "AND \"stateOfCharge\" IS NOT NULL AND \"timestamp\" >= @from AND \"timestamp\" < @to",
                new { customerId = caller.CustomerId, vehicle, from = Iso.Format(start - MeterSeries.Hold), to = Iso.Format(end) });
            var readings = rows.Select(r => (Iso.Parse(r.At), r.Soc)).ToList();
            return Series(scopes, start, end, "%", name, MeterSeries.SumOfAverages([readings], start, end, step));
        });
    }

    public Task<(JObject Data, long Total)> ConnectivityAsync(Caller caller, IEnumerable<KeyValuePair<string, string[]>> query) =>
        AvailabilityAsync(caller, query, connectivity: true);

    public Task<(JObject Data, long Total)> UptimeAsync(Caller caller, IEnumerable<KeyValuePair<string, string[]>> query) =>
        AvailabilityAsync(caller, query, connectivity: false);

    /// <summary>The share (0..1) of each step the scope's charge points were connected, or its connectors up.</summary>
    private async Task<(JObject Data, long Total)> AvailabilityAsync(Caller caller, IEnumerable<KeyValuePair<string, string[]>> query, bool connectivity)
    {
        string[] scopeNames = ["network", "chargepoint", "connector"];
        var q = ProfileQuery.Parse(query, [.. scopeNames, "start", "end", "resolution"], requireNetwork: false);
        var scopes = Scopes(q, scopeNames);
        if (scopes.Count == 0) throw ApiFailure.BadRequest("network", "one of network, chargepoint, connector is required");
        var (start, end, name, step) = Window(q);
        var now = core.Clock.GetUtcNow();
        return await core.Db.ReadAsync(async conn =>
        {
            var (network, chargepoint, connector) = (scopes.GetValueOrDefault("network"), scopes.GetValueOrDefault("chargepoint"), scopes.GetValueOrDefault("connector"));
            var pieces = new List<List<Piece>>();
            if (connectivity)
            {
                // Connectivity is the charger's: a connector scope measures its charge point.
                var connectors = connector is null ? null : await LiveScope.ConnectorsAsync(conn, caller.CustomerId, network, chargepoint, connector);
                var cp = connectors?.FirstOrDefault()?.ChargePointId ?? chargepoint;
                if (connectors is { Count: 0 }) throw new ApiFailure(404, "connector", $"connector {connector} not found");
                foreach (var e in await LiveScope.ChargePointsAsync(conn, caller.CustomerId, network, cp))
                    pieces.Add(await Availability.ConnectivityAsync(conn, e, start, end, now));
            }
            else
                foreach (var e in await LiveScope.ConnectorsAsync(conn, caller.CustomerId, network, chargepoint, connector))
                    pieces.Add(await Availability.UptimeAsync(conn, e, start, end, now));
            return Series(scopes, start, end, "fraction", name, Timeline.Buckets(pieces, start, end, step));
        });
    }

    /// <summary>/v2/profiles/ocpp_status: the statuses the charger reported, in order, with limit/offset (connector 0 is the charge point itself).</summary>
    public async Task<(JObject Data, long Total)> OcppStatusAsync(Caller caller, IEnumerable<KeyValuePair<string, string[]>> query)
    {
        var q = ProfileQuery.Parse(query, ["chargepoint", "connector", "start", "end", "limit", "offset"], requireNetwork: false);
        var scopes = Scopes(q, ["chargepoint", "connector"]);
        if (scopes.Count == 0) throw ApiFailure.BadRequest("chargepoint", "one of chargepoint, connector is required");
        var now = core.Clock.GetUtcNow();
        var (start, end) = q.Window(now - DefaultWindow, now, maxWindow: null);
        return await core.Db.ReadAsync(async conn =>
        {
            await RequireAsync(conn, caller, scopes);
            var rows = (await conn.QueryAsync<(string At, string Status, string? ErrorCode, string? ConnectorId, long? Number)>(
                "SELECT h.\"at\", h.\"status\", h.\"errorCode\", h.\"connectorId\", c.\"connectorId\" FROM status_history h " +
                "LEFT JOIN connectors c ON c.id = h.\"connectorId\" WHERE h.customerId = @customerId AND h.\"kind\" = 'status' " +
                "AND (@chargepoint IS NULL OR h.\"chargePointId\" = @chargepoint) AND (@connector IS NULL OR h.\"connectorId\" = @connector) " +
                "AND h.\"at\" >= @start AND h.\"at\" < @end",
                new
                {
                    customerId = caller.CustomerId, chargepoint = scopes.GetValueOrDefault("chargepoint"), connector = scopes.GetValueOrDefault("connector"),
                    start = Iso.Format(start), end = Iso.Format(end),
                })).OrderBy(r => r.At, StringComparer.Ordinal).ToList();
            var page = rows.Skip(q.Offset).Take(q.Limit).ToList();
            var data = Envelope(scopes, start, end);
            data["timestamps"] = new JArray(page.Select(r => r.At));
            data["values"] = new JArray(page.Select(r => r.Status));
            data["errorCodes"] = new JArray(page.Select(r => r.ErrorCode));
            data["connectorIds"] = new JArray(page.Select(r => r.ConnectorId is null ? 0 : r.Number ?? 0));
            return (data, (long)rows.Count);
        });
    }

    private (DateTimeOffset Start, DateTimeOffset End, string Name, TimeSpan Step) Window(ProfileQuery q)
    {
        var now = core.Clock.GetUtcNow();
        var (start, end) = q.Window(now - DefaultWindow, now, maxWindow: null);
        var (name, step) = q.Resolution(end - start);
        return (start, end, name, step);
    }

    private static Dictionary<string, string> Scopes(ProfileQuery q, string[] names) =>
        names.Where(n => q.Single(n) is not null)
            .ToDictionary(n => n, n => (string)Filters.ConvertQueryValue(n, q.Single(n)!, FieldType.Uuid));

    private static async Task RequireAsync(DbConnection conn, Caller caller, Dictionary<string, string> scopes)
    {
        foreach (var (name, id) in scopes) await LiveScope.RequireAsync(conn, caller.CustomerId, name, ScopeColumns[name].Table, id);
    }

    private static JObject Envelope(Dictionary<string, string> scopes, DateTimeOffset start, DateTimeOffset end)
    {
        var data = new JObject();
        foreach (var (name, id) in scopes) data[name] = id;
        data["start"] = Iso.Format(start);
        data["end"] = Iso.Format(end);
        return data;
    }

    private static (JObject, long) Series(Dictionary<string, string> scopes, DateTimeOffset start, DateTimeOffset end, string unit, string resolution,
        List<(DateTimeOffset At, double? Value)> points)
    {
        var data = Envelope(scopes, start, end);
        data["unit"] = unit;
        data["resolution"] = resolution;
        data["timestamps"] = new JArray(points.Select(p => Iso.Format(p.At)));
        data["values"] = new JArray(points.Select(p => p.Value is { } v ? new JValue(Math.Round(v, 6)) : JValue.CreateNull()));
        return (data, points.Count);
    }
}
