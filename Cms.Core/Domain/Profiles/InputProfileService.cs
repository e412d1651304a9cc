using Cms.Core.Auth;
using Cms.Core.Domain.DrEvents;
using Cms.Core.Domain.Networks;
using Cms.Core.Domain.Planning;
using Cms.Core.Resources;
using Dapper;
using Newtonsoft.Json.Linq;

namespace Cms.Core.Domain.Profiles;

/// <summary>
/// /v2/profiles/{prices,capacities,dr_events,baseloads,solar_meterings}: one network's inputs as a compact time series
/// <c>{"network", "start", "end", …, "timestamps": […], "values": […]}</c>. Values of resampled series are time-weighted
/// averages over each step ("interpolated using a time weighted average methodology"). Where limit/offset exist they cut
/// the computed series ("the first n=limit values … shifted by offset") and total counts the points before that cut.
/// </summary>
public sealed class InputProfileService(CoreContext core)
{
    /// <summary>"The interval between start and end is limited to one week."</summary>
    public static readonly TimeSpan MaxWindow = TimeSpan.FromDays(7);

    /// <summary>The spec's resolution enum. "2d"/"4w" are steps too: a client asking for them gets one point per step.</summary>
    public static readonly IReadOnlyDictionary<string, TimeSpan> Resolutions = new Dictionary<string, TimeSpan>
    {
        ["1m"] = TimeSpan.FromMinutes(1), ["15m"] = TimeSpan.FromMinutes(15), ["5h"] = TimeSpan.FromHours(5),
        ["2d"] = TimeSpan.FromDays(2), ["4w"] = TimeSpan.FromDays(28),
    };

    /// <summary>"a time window of 2 days will return data points at a 1 minute resolution": the default step keeps points ≤ 2880.</summary>
    public const int MaxDefaultPoints = 2 * 24 * 60;

    /// <summary>Guard for explicit resolutions on wide windows.</summary>
    public const int MaxPoints = 20_000;

    /// <summary>The query parameters of each profile (anything else is refused).</summary>
    public static readonly string[] PriceParams = ["network", "start", "end", "intervalLength", "limit", "offset"];
    public static readonly string[] CapacityParams = ["network", "start", "end", "resolution"];
    public static readonly string[] DrEventParams = ["network", "type", "start", "end", "intervalLength", "limit", "offset"];
    public static readonly string[] SampleParams = ["network", "start", "end", "limit", "offset"];

    private DateTimeOffset Now => core.Clock.GetUtcNow();

    public async Task<(JObject Data, long Total)> PricesAsync(Caller caller, IEnumerable<KeyValuePair<string, string[]>> query)
    {
        var q = ProfileQuery.Parse(query, PriceParams);
        var (start, end) = q.Window(Now.AddHours(-12), Now.AddHours(12), MaxWindow);
        var step = q.IntervalLength();
        return await core.Db.ReadAsync(async conn =>
        {
            var network = await NetworkAsync(conn, caller, q.Network);
            var prices = await NetworkSignals.PricesAsync(conn, caller.CustomerId, q.Network, start, end);
            var fill = network.Double("defaultEnergyPrice");
            var points = Resample(start, end, step, (a, b) => prices.Average(a, b, fill));
            var data = Envelope(q.Network, start, end, "$/kWh");
            data["intervalLength"] = (long)step.TotalMinutes;
            return Page(data, points, q);
        });
    }

    public async Task<(JObject Data, long Total)> CapacitiesAsync(Caller caller, IEnumerable<KeyValuePair<string, string[]>> query)
    {
        // Paging does not apply here: "the limit and offset params have been removed".
        var q = ProfileQuery.Parse(query, CapacityParams);
        // Same defaults as GET /v2/capacities/: now and now plus 12 hours.
        var (start, end) = q.Window(Now, Now.AddHours(12), maxWindow: null);
        var (name, step) = q.Resolution(end - start);
        return await core.Db.ReadAsync(async conn =>
        {
            var network = await NetworkAsync(conn, caller, q.Network);
            var capacities = await NetworkSignals.CapacitiesAsync(conn, caller.CustomerId, q.Network, start, end);
            var fill = network.Double("maxCapacity") ?? 0;
            var points = Resample(start, end, step, (a, b) => capacities.Average(a, b, fill));
            var data = Envelope(q.Network, start, end, "kW");
            data["resolution"] = name;
            return Page(data, points, q);
        });
    }

    public async Task<(JObject Data, long Total)> DrEventsAsync(Caller caller, IEnumerable<KeyValuePair<string, string[]>> query)
    {
        var q = ProfileQuery.Parse(query, DrEventParams);
        var type = q.Single("type") ?? throw ApiFailure.BadRequest("type", "is required");
        Filters.ParseEnum("type", type, DrEventResource.Types);
        var (start, end) = q.Window(Now.AddHours(-12), Now.AddHours(12), MaxWindow);
        var step = q.IntervalLength();
        return await core.Db.ReadAsync(async conn =>
        {
            await NetworkAsync(conn, caller, q.Network);
            var events = await NetworkSignals.DrEventsAsync(conn, caller.CustomerId, q.Network, type, start, end);
            // "using 0.0 to fill gaps for times where no dr event data is available"
            var points = Resample(start, end, step, (a, b) => events.Average(a, b, 0));
            var data = Envelope(q.Network, start, end, "kW");
            data["type"] = type;
            data["intervalLength"] = (long)step.TotalMinutes;
            return Page(data, points, q);
        });
    }

    public Task<(JObject Data, long Total)> BaseloadsAsync(Caller caller, IEnumerable<KeyValuePair<string, string[]>> query) =>
        SamplesAsync(caller, query, "baseloads");

    public Task<(JObject Data, long Total)> SolarMeteringsAsync(Caller caller, IEnumerable<KeyValuePair<string, string[]>> query) =>
        SamplesAsync(caller, query, "solar_meterings");

    /// <summary>
    /// "The same data can be listed with GET /v2/baseloads/ … in a more compact format": the stored samples in [start, end),
    /// oldest first. network is optional here (the spec does not mark it required): without it, the samples of every
    /// network of the customer, and "network" is null.
    /// </summary>
    private async Task<(JObject Data, long Total)> SamplesAsync(Caller caller, IEnumerable<KeyValuePair<string, string[]>> query, string table)
    {
        var q = ProfileQuery.Parse(query, SampleParams, requireNetwork: false);
        var network = q.Network.Length > 0 ? q.Network : null;
        var (start, end) = q.Window(Now.AddHours(-12), Now.AddHours(12), MaxWindow);
        return await core.Db.ReadAsync(async conn =>
        {
            if (network is not null) await NetworkAsync(conn, caller, network);
            var rows = await conn.QueryAsync<(string At, double Value)>(
                $"SELECT \"timestamp\", \"value\" FROM {table} WHERE customerId = @customerId " +
                (network is null ? "" : "AND \"networkId\" = @network ") +
                "AND \"timestamp\" >= @start AND \"timestamp\" < @end ORDER BY \"timestamp\", created, id",
                new { customerId = caller.CustomerId, network, start = Iso.Format(start), end = Iso.Format(end) });
            var points = rows.Select(r => (Iso.Parse(r.At), (double?)r.Value)).ToList();
            return Page(Envelope(network, start, end, "kW"), points, q);
        });
    }

    private static async Task<IDictionary<string, object?>> NetworkAsync(System.Data.Common.DbConnection conn, Caller caller, string id) =>
        await ResourceStore.GetAsync(conn, NetworkResource.Spec, caller.CustomerId, id)
        ?? throw new ApiFailure(404, "network", $"network {id} not found");

    /// <summary>Points at start, start+step, … before end; the last step is cut at end.</summary>
    public static List<(DateTimeOffset At, double? Value)> Resample(DateTimeOffset start, DateTimeOffset end, TimeSpan step,
        Func<DateTimeOffset, DateTimeOffset, double?> value)
    {
        var points = new List<(DateTimeOffset, double?)>();
        for (var t = start; t < end; t += step)
            points.Add((t, value(t, t + step < end ? t + step : end)));
        return points;
    }

    internal static JObject Envelope(string? network, DateTimeOffset start, DateTimeOffset end, string unit) => new()
    {
        ["network"] = network, ["start"] = Iso.Format(start), ["end"] = Iso.Format(end), ["unit"] = unit,
    };

    internal static (JObject, long) Page(JObject data, List<(DateTimeOffset At, double? Value)> points, ProfileQuery q)
    {
        var page = points.Skip(q.Offset).Take(q.Limit).ToList();
        data["timestamps"] = new JArray(page.Select(p => Iso.Format(p.At)));
        data["values"] = new JArray(page.Select(p => p.Value is { } v ? new JValue(Math.Round(v, 6)) : JValue.CreateNull()));
        return (data, points.Count);
    }
}
