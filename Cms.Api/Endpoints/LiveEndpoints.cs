using Cms.Api.Http;
using Cms.Api.OpenApi;
using Cms.Core.Auth;
using Cms.Core.Domain.Alerts;
using Cms.Core.Domain.Kpis;
using Cms.Core.Domain.Profiles;
using Cms.Core.Resources;
using Newtonsoft.Json.Linq;

namespace Cms.Api.Endpoints;

/// <summary>Routes of what live charger traffic produces over time: alerts, KPIs and the live profiles.</summary>
public static class LiveEndpoints
{
    private delegate Task<(JObject Data, long Total)> Profile(LiveProfileService service, Caller caller, IEnumerable<KeyValuePair<string, string[]>> query);
    private delegate Task<List<JObject>> Kpi(KpiService service, Caller caller, IEnumerable<KeyValuePair<string, string[]>> query);

    public static void MapLive(this IEndpointRouteBuilder app)
    {
        // Alerts are raised by AmpCMS: list, get, and PATCH status/notes only.
        var alerts = app.MapGroup("/v2/alerts");
        alerts.MapGet("", async Task<IResult> (HttpContext http, AlertService s) =>
        {
            var (items, total) = await s.ListAsync(http.Caller(), ListRequest.From(ResourceEndpoints.Query(http), s.Spec));
            return Jsend.Success(items, total);
        }).Describes<AlertService>(ResourceOperationKind.List);
        alerts.MapGet("{id}", async (HttpContext http, AlertService s, string id) => Jsend.One(await s.GetAsync(http.Caller(), id)))
            .Describes<AlertService>(ResourceOperationKind.Get);
        alerts.MapPatch("{id}", async (HttpContext http, AlertService s, string id) =>
            Jsend.One(await s.UpdateAsync(http.Caller(), id, await RequestBody.ReadAsync(http.Request))));

        MapKpi(app, "/v2/kpis/connectivity/network", (s, c, q) => s.ConnectivityNetworkAsync(c, q));
        MapKpi(app, "/v2/kpis/connectivity/charge_points", (s, c, q) => s.ConnectivityChargePointsAsync(c, q));
        MapKpi(app, "/v2/kpis/uptime/network", (s, c, q) => s.UptimeNetworkAsync(c, q));
        MapKpi(app, "/v2/kpis/uptime/charge_points", (s, c, q) => s.UptimeChargePointsAsync(c, q));
        MapKpi(app, "/v2/kpis/uptime/connectors", (s, c, q) => s.UptimeConnectorsAsync(c, q));

        foreach (var type in LiveProfileService.MeterProfiles)
            MapProfile(app, $"/v2/profiles/meter_values/{type}", (s, c, q) => s.MeterValuesAsync(c, type, q));
        MapProfile(app, "/v2/profiles/telematics/soc", (s, c, q) => s.TelematicsSocAsync(c, q));
        MapProfile(app, "/v2/profiles/connectivity", (s, c, q) => s.ConnectivityAsync(c, q));
        MapProfile(app, "/v2/profiles/uptime", (s, c, q) => s.UptimeAsync(c, q));
        MapProfile(app, "/v2/profiles/ocpp_status", (s, c, q) => s.OcppStatusAsync(c, q));
    }

    private static void MapKpi(IEndpointRouteBuilder app, string path, Kpi kpi) =>
        app.MapGet(path, async Task<IResult> (HttpContext http, KpiService s) =>
        {
            var items = await kpi(s, http.Caller(), ResourceEndpoints.Query(http));
            return Jsend.Success(items, items.Count);
        });

    /// <summary>data is one compact series object, like the other /v2/profiles/ endpoints; total counts the points before paging.</summary>
    private static void MapProfile(IEndpointRouteBuilder app, string path, Profile profile) =>
        app.MapGet(path, async Task<IResult> (HttpContext http, LiveProfileService s) =>
        {
            var (data, total) = await profile(s, http.Caller(), ResourceEndpoints.Query(http));
            return Jsend.Json(new JObject { ["status"] = "success", ["data"] = data, ["total"] = total }, 200);
        });
}
