using Cms.Core.Auth;
using Cms.Core.Domain.Planning;
using Cms.Core.Domain.Profiles;
using Cms.Core.Domain.StatusHistory;
using Cms.Core.Resources;
using Newtonsoft.Json.Linq;

namespace Cms.Core.Domain.Kpis;

/// <summary>
/// /v2/kpis/{connectivity,uptime}/…: the share (0..1) of the evaluation period a network, its charge points or its
/// connectors were connected / up (see <see cref="Availability"/>). Period: the last week; one bound given, the other is a week from it.
/// </summary>
public sealed class KpiService(CoreContext core)
{
    public static readonly TimeSpan DefaultPeriod = TimeSpan.FromDays(7);

    public async Task<List<JObject>> ConnectivityNetworkAsync(Caller caller, IEnumerable<KeyValuePair<string, string[]>> query)
    {
        var q = ProfileQuery.Parse(query, ["network", "start", "end"]);
        var (start, end, now) = Window(q);
        return await core.Db.ReadAsync(async conn =>
        {
            var chargePoints = await LiveScope.ChargePointsAsync(conn, caller.CustomerId, q.Network, null);
            var pieces = new List<List<Piece>>();
            foreach (var cp in chargePoints) pieces.Add(await Availability.ConnectivityAsync(conn, cp, start, end, now));
            return new List<JObject> { Item("networkId", q.Network, start, end, "connectivity", Share(pieces, start, end)) };
        });
    }

    public async Task<List<JObject>> ConnectivityChargePointsAsync(Caller caller, IEnumerable<KeyValuePair<string, string[]>> query)
    {
        var q = ProfileQuery.Parse(query, ["network", "chargepoint", "start", "end"], requireNetwork: false);
        var (start, end, now) = Window(q);
        return await core.Db.ReadAsync(async conn =>
        {
            var items = new List<JObject>();
            foreach (var cp in await LiveScope.ChargePointsAsync(conn, caller.CustomerId, Nullable(q.Network), Id(q, "chargepoint")))
            {
                var item = Item("chargePointId", cp.Id, start, end, "connectivity", Share([await Availability.ConnectivityAsync(conn, cp, start, end, now)], start, end));
                item["networkId"] = cp.NetworkId;
                items.Add(item);
            }
            return items;
        });
    }

    public async Task<List<JObject>> UptimeNetworkAsync(Caller caller, IEnumerable<KeyValuePair<string, string[]>> query)
    {
        var q = ProfileQuery.Parse(query, ["network", "start", "end"]);
        var (start, end, now) = Window(q);
        return await core.Db.ReadAsync(async conn =>
        {
            var pieces = new List<List<Piece>>();
            foreach (var c in await LiveScope.ConnectorsAsync(conn, caller.CustomerId, q.Network, null, null))
                pieces.Add(await Availability.UptimeAsync(conn, c, start, end, now));
            return new List<JObject> { Item("networkId", q.Network, start, end, "uptime", Share(pieces, start, end)) };
        });
    }

    /// <summary>aggregate_by_connector (default true): a charge point is as up as its connectors together; false: by its own status.</summary>
    public async Task<List<JObject>> UptimeChargePointsAsync(Caller caller, IEnumerable<KeyValuePair<string, string[]>> query)
    {
        var q = ProfileQuery.Parse(query, ["network", "chargepoint", "start", "end", "aggregate_by_connector"], requireNetwork: false);
        var byConnector = q.Single("aggregate_by_connector") is not { } flag || Filters.ParseBool("aggregate_by_connector", flag);
        var (start, end, now) = Window(q);
        return await core.Db.ReadAsync(async conn =>
        {
            var connectors = byConnector ? await LiveScope.ConnectorsAsync(conn, caller.CustomerId, Nullable(q.Network), Id(q, "chargepoint"), null) : [];
            var items = new List<JObject>();
            foreach (var cp in await LiveScope.ChargePointsAsync(conn, caller.CustomerId, Nullable(q.Network), Id(q, "chargepoint")))
            {
                var pieces = new List<List<Piece>>();
                if (byConnector)
                    foreach (var c in connectors.Where(c => c.ChargePointId == cp.Id)) pieces.Add(await Availability.UptimeAsync(conn, c, start, end, now));
                else
                    pieces.Add(await Availability.UptimeAsync(conn, cp, start, end, now));
                var item = Item("chargePointId", cp.Id, start, end, "uptime", Share(pieces, start, end));
                item["networkId"] = cp.NetworkId;
                items.Add(item);
            }
            return items;
        });
    }

    public async Task<List<JObject>> UptimeConnectorsAsync(Caller caller, IEnumerable<KeyValuePair<string, string[]>> query)
    {
        var q = ProfileQuery.Parse(query, ["network", "chargepoint", "connector", "start", "end"], requireNetwork: false);
        var (start, end, now) = Window(q);
        return await core.Db.ReadAsync(async conn =>
        {
            var items = new List<JObject>();
            foreach (var c in await LiveScope.ConnectorsAsync(conn, caller.CustomerId, Nullable(q.Network), Id(q, "chargepoint"), Id(q, "connector")))
            {
                var item = Item("connectorId", c.Id, start, end, "uptime", Share([await Availability.UptimeAsync(conn, c, start, end, now)], start, end));
                item["chargePointId"] = c.ChargePointId;
                item["networkId"] = c.NetworkId;
                items.Add(item);
            }
            return items;
        });
    }

    /// <summary>"Default: last week. If only start is specified, end will be set to start + 1 week", and the other way round.</summary>
    private (DateTimeOffset Start, DateTimeOffset End, DateTimeOffset Now) Window(ProfileQuery q)
    {
        var now = core.Clock.GetUtcNow();
        var (start, end) = q.Window(now - DefaultPeriod, now, maxWindow: null);
        return (start, end, now);
    }

    private static double? Share(IEnumerable<List<Piece>> pieces, DateTimeOffset start, DateTimeOffset end) =>
        Timeline.Buckets(pieces, start, end, end - start)[0].Value is { } v ? Math.Round(v, 6) : null;

    private static JObject Item(string idName, string id, DateTimeOffset start, DateTimeOffset end, string kpi, double? value) => new()
    {
        [idName] = id, ["start"] = Iso.Format(start), ["end"] = Iso.Format(end), [kpi] = value,
    };

    private static string? Nullable(string network) => network.Length == 0 ? null : network;

    private static string? Id(ProfileQuery q, string param) =>
        q.Single(param) is { } v ? (string)Filters.ConvertQueryValue(param, v, FieldType.Uuid) : null;
}
