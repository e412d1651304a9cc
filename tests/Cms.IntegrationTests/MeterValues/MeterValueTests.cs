using Cms.Core.Domain;
using Cms.Core.Resources;
using Cms.IntegrationTests.Harness;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Linq;

namespace Cms.IntegrationTests.MeterValues;

public sealed class MeterValueTests
{
    private const string Window = "start=2021-01-01T00:00:00Z&end=2022-01-01T00:00:00Z";

    private static object Batch(string chargePointId, object connectorId, params (string Timestamp, object[] Samples)[] values) => new
    {
        chargePointId,
        connectorId,
        meterValues = values.Select(v => new { timestamp = v.Timestamp, sampledValue = v.Samples }).ToArray(),
    };

    [Fact]
    public async Task The_tutorial_request_is_stored_linked_to_the_open_session_and_echoed()
    {
        await using var host = await TestHost.StartAsync();
        var site = await Site.CreateAsync(host.Admin);
        var session = await site.StartAsync(host.Admin);

        var response = await host.Admin.Post("/v2/meter_values/", $$"""
            {"chargePointId":"{{site.ChargePointId}}","connectorId":1,"meterValues":[{"sampledValue":[{"context":"Sample.Periodic",
            "format":"Raw","location":"Outlet","measurand":"Energy.Active.Import.Register","phase":"L1","unit":"Wh","value":56790}],
            "timestamp":"2021-07-10T17:40:56+00:00"}]}
            """);

        Assert.Equal(201, response.Status);
        Assert.Equal(1, response.Total);
        var body = response.First;
        Assert.Equal(site.ChargePointId, (string?)body["chargePointId"]);
        Assert.Equal(1, (int)body["connectorId"]!);
        Assert.Equal((string?)session["id"], (string?)body["chargingSessionId"]);
        var sample = (JObject)body["meterValues"]![0]!["sampledValue"]![0]!;
        Assert.Equal("2021-07-10T17:40:56.000000+00:00", (string?)body["meterValues"]![0]!["timestamp"]);
        Assert.Equal(JTokenType.Integer, sample["value"]!.Type);
        Assert.Equal(56790, (long)sample["value"]!);
        Assert.Equal("Energy.Active.Import.Register", (string?)sample["measurand"]);
        Assert.Equal("L1", (string?)sample["phase"]);

        var list = await host.Admin.Get($"/v2/meter_values?connector={site.Connector1}&{Window}");
        Assert.Equal(1, list.Total);
        var row = list.First;
        Assert.Equal(56790.0, (double)row["value"]!);
        Assert.Equal("Wh", (string?)row["unit"]);
        Assert.Equal(site.Connector1, (string?)row["connector"]);
        Assert.Equal(1, (int)row["connectorId"]!);
        Assert.Equal(site.NetworkId, (string?)row["networkId"]);
        Assert.Equal((string?)session["id"], (string?)row["chargingSessionId"]);
        Assert.Equal("2021-07-10T17:40:56.000000+00:00", (string?)row["timestamp"]);
    }

    [Fact]
    public async Task Power_and_energy_keep_the_session_current()
    {
        await using var host = await TestHost.StartAsync();
        var site = await Site.CreateAsync(host.Admin);
        var session = await site.StartAsync(host.Admin);
        var path = $"/v2/charging_sessions/{session["id"]}";

        Assert.Equal(201, (await host.Admin.Post("/v2/meter_values", Batch(site.ChargePointId, 1,
            ("2021-07-10T17:00:00Z", [
                new { measurand = "Energy.Active.Import.Register", unit = "Wh", value = "10000" },
                new { measurand = "Power.Active.Import", unit = "W", phase = "L1", value = "3000" },
                new { measurand = "Power.Active.Import", unit = "W", phase = "L2", value = "3000" },
                new { measurand = "Power.Active.Import", unit = "W", phase = "L3", value = "3000" },
            ]),
            ("2021-07-10T17:15:00Z", [
                new { measurand = "Energy.Active.Import.Register", unit = "kWh", value = "12.5" },
                new { measurand = "Power.Active.Import", unit = "kW", value = "11" },
            ])))).Status);
        var s = (await host.Admin.Get(path)).First;
        Assert.Equal(11.0, (double)s["currentChargingLoad"]!, 6);
        Assert.Equal(2.5, (double)s["energyConsumption"]!, 6);
        Assert.Equal(11.0, (double)(await host.Admin.Get($"/v2/connectors/{site.Connector1}")).First["currentChargingLoad"]!, 6);
        Assert.Equal(11.0, (double)(await host.Admin.Get($"/v2/networks/{site.NetworkId}")).First["currentChargingLoad"]!, 6);

        // An older reading arriving late does not replace the newer load; per-phase only sums the phases.
        await host.Admin.Create("/v2/meter_values", Batch(site.ChargePointId, site.Connector1,
            ("2021-07-10T16:00:00Z", [new { measurand = "Power.Active.Import", unit = "kW", value = 5 }])));
        Assert.Equal(11.0, (double)(await host.Admin.Get(path)).First["currentChargingLoad"]!, 6);
        await host.Admin.Create("/v2/meter_values", Batch(site.ChargePointId, 1,
            ("2021-07-10T17:30:00Z", [
                new { measurand = "Power.Active.Import", unit = "W", phase = "L1-N", value = 2000 },
                new { measurand = "Power.Active.Import", unit = "W", phase = "L2-N", value = 2000 },
                new { measurand = "Power.Active.Import", unit = "W", phase = "L3-N", value = 2000.5 },
                new { measurand = "Power.Active.Import", unit = "W", phase = "N", value = 99 },
                new { measurand = "Energy.Active.Import.Register", unit = "Wh", value = 16000 },
            ])));
        s = (await host.Admin.Get(path)).First;
        Assert.Equal(6.0005, (double)s["currentChargingLoad"]!, 6);
        Assert.Equal(6.0, (double)s["energyConsumption"]!, 6);

        // meterStart, when given, is the baseline; meterStop ends with meterStop − meterStart.
        var withStart = await site.StartAsync(host.Admin, 2, new { meterStart = 100 });
        await host.Admin.Create("/v2/meter_values", Batch(site.ChargePointId, 2,
            ("2021-07-10T17:00:00Z", [new { measurand = "Energy.Active.Import.Register", unit = "kWh", value = 104.25 }])));
        Assert.Equal(4.25, (double)(await host.Admin.Get($"/v2/charging_sessions/{withStart["id"]}")).First["energyConsumption"]!, 6);

        // Stopped: no current load any more.
        var stopped = (await host.Admin.Delete(path)).First;
        Assert.Equal(0.0, (double)stopped["currentChargingLoad"]!);
        Assert.Equal(0.0, (double)(await host.Admin.Get($"/v2/connectors/{site.Connector1}")).First["currentChargingLoad"]!);
    }

    [Fact]
    public async Task TransactionId_links_late_values_to_their_ended_session()
    {
        await using var host = await TestHost.StartAsync();
        var site = await Site.CreateAsync(host.Admin);
        var old = await site.StartAsync(host.Admin, 1, new { transactionId = 77 });
        await host.Admin.Delete($"/v2/charging_sessions/{old["id"]}");
        var current = await site.StartAsync(host.Admin, 1, new { transactionId = 78 });

        var late = await host.Admin.Create("/v2/meter_values", new
        {
            chargePointId = site.ChargePointId, connectorId = 1, transactionId = 77,
            meterValues = new[] { new { timestamp = "2021-07-10T17:00:00Z", sampledValue = new object[] { new { measurand = "Power.Active.Import", unit = "kW", value = 7 } } } },
        });
        Assert.Equal((string?)old["id"], (string?)late["chargingSessionId"]);
        Assert.Equal(77, (long)late["transactionId"]!);
        Assert.Equal(JTokenType.Null, (await host.Admin.Get($"/v2/charging_sessions/{current["id"]}")).First["currentChargingLoad"]!.Type);

        var now = await host.Admin.Create("/v2/meter_values", Batch(site.ChargePointId, 1,
            ("2021-07-10T17:00:00Z", [new { measurand = "Power.Active.Import", unit = "kW", value = 7 }])));
        Assert.Equal((string?)current["id"], (string?)now["chargingSessionId"]);
        Assert.Equal(78, (long)now["transactionId"]!);
    }

    [Fact]
    public async Task Connector_zero_is_the_charge_points_main_meter_and_values_without_a_session_are_kept()
    {
        await using var host = await TestHost.StartAsync();
        var site = await Site.CreateAsync(host.Admin);
        var main = await host.Admin.Create("/v2/meter_values", Batch(site.ChargePointId, 0,
            ("2021-07-10T17:00:00Z", [new { measurand = "Voltage", unit = "V", value = 231.2 }, new { measurand = "Frequency", value = 50 }])));
        Assert.Equal(0, (int)main["connectorId"]!);
        Assert.Equal(JTokenType.Null, main["chargingSessionId"]!.Type);
        var idle = await host.Admin.Create("/v2/meter_values", Batch(site.ChargePointId, 2,
            ("2021-07-10T17:00:00Z", [new { measurand = "Temperature", value = 21 }])));
        Assert.Equal(JTokenType.Null, idle["chargingSessionId"]!.Type);
        Assert.Equal("Celsius", (string?)idle["meterValues"]![0]!["sampledValue"]![0]!["unit"]);

        var all = await host.Admin.Get($"/v2/meter_values?chargepoint={site.ChargePointId}&{Window}");
        Assert.Equal(3, all.Total);
        var defaults = all.Data.Single(d => (string?)d["measurand"] == "Frequency");
        Assert.Equal(JTokenType.Null, defaults["unit"]!.Type);
        Assert.Equal("Sample.Periodic", (string?)defaults["context"]);
        Assert.Equal("Raw", (string?)defaults["format"]);
        Assert.Equal("Outlet", (string?)defaults["location"]);
    }

    [Fact]
    public async Task Bad_batches_name_the_field_and_store_nothing()
    {
        await using var host = await TestHost.StartAsync();
        var site = await Site.CreateAsync(host.Admin);
        await site.StartAsync(host.Admin);

        async Task<ApiResponse> Post(object body)
        {
            var r = await host.Admin.Post("/v2/meter_values", body);
            Assert.Equal(400, r.Status);
            return r;
        }

        var r1 = await Post(new { chargePointId = site.ChargePointId, connectorId = 1, colour = "red", meterValues = new[] { new { timestamp = "2021-07-10T17:00:00Z", extra = 1, sampledValue = new object[] { new { value = 1, measurand = "Power.Active.Import", unit = "W", colour = 2 } } } } });
        Assert.Equal("unknown field", r1.FailFor("colour"));
        Assert.Equal("unknown field", r1.FailFor("meterValues[0].extra"));
        Assert.Equal("unknown field", r1.FailFor("meterValues[0].sampledValue[0].colour"));

        var r2 = await Post(Batch(site.ChargePointId, 1, ("not a time", [
            new { value = "abc", measurand = "Power.Active.Import" },
            new { value = 1, measurand = "Power.Magic" },
            new { value = 1, measurand = "Power.Active.Import", unit = "Wh" },
            new { value = 1, measurand = "Frequency", unit = "Hz" },
            new { value = 1, phase = "L4", context = "Sometimes", location = "Roof", format = "Base64" },
        ])));
        Assert.NotNull(r2.FailFor("meterValues[0].timestamp"));
        Assert.NotNull(r2.FailFor("meterValues[0].sampledValue[0].value"));
        Assert.NotNull(r2.FailFor("meterValues[0].sampledValue[1].measurand"));
        Assert.Contains("'W'", r2.FailFor("meterValues[0].sampledValue[2].unit"));
        Assert.NotNull(r2.FailFor("meterValues[0].sampledValue[3].unit"));
        foreach (var f in new[] { "phase", "context", "location", "format" })
            Assert.NotNull(r2.FailFor($"meterValues[0].sampledValue[4].{f}"));

        var sample = new { value = 1, measurand = "Power.Active.Import", unit = "W" };
        var tooMany = await Post(Batch(site.ChargePointId, 1, Enumerable.Range(0, 101).Select(i => ("2021-07-10T17:00:00Z", new object[] { sample })).ToArray()));
        Assert.Contains("at most 100", tooMany.FailFor("meterValues"));
        var tooManySamples = await Post(Batch(site.ChargePointId, 1, ("2021-07-10T17:00:00Z", Enumerable.Repeat((object)sample, 51).ToArray())));
        Assert.Contains("at most 50", tooManySamples.FailFor("meterValues[0].sampledValue"));
        Assert.NotNull((await Post(new { chargePointId = site.ChargePointId, connectorId = 1, meterValues = Array.Empty<object>() })).FailFor("meterValues"));
        Assert.NotNull((await Post(new { chargePointId = site.ChargePointId, connectorId = 1 })).FailFor("meterValues"));
        Assert.NotNull((await Post(new { chargePointId = site.ChargePointId, meterValues = new[] { new { timestamp = "2021-07-10T17:00:00Z", sampledValue = new[] { sample } } } })).FailFor("connectorId"));
        Assert.NotNull((await Post(new { meterValues = new[] { new { timestamp = "2021-07-10T17:00:00Z", sampledValue = new[] { sample } } } })).FailFor("chargePointId"));
        Assert.NotNull((await Post(Batch(site.ChargePointId, 9, ("2021-07-10T17:00:00Z", [sample])))).FailFor("connectorId"));
        Assert.NotNull((await Post(Batch(site.ChargePointId, "1.5", ("2021-07-10T17:00:00Z", [sample])))).FailFor("connectorId"));
        Assert.NotNull((await Post(Batch(Guid.NewGuid().ToString(), 1, ("2021-07-10T17:00:00Z", [sample])))).FailFor("chargePointId"));
        Assert.NotNull((await Post(new { vehicleId = Guid.NewGuid(), meterValues = new[] { new { timestamp = "2021-07-10T17:00:00Z", sampledValue = new[] { sample } } } })).FailFor("vehicleId"));
        // One bad sample among good ones: the whole batch is refused.
        await Post(Batch(site.ChargePointId, 1, ("2021-07-10T17:00:00Z", [sample, new { value = "x" }])));

        Assert.Equal(0, (await host.Admin.Get($"/v2/meter_values?network={site.NetworkId}&{Window}")).Total);
        Assert.Equal(0.0, (double)(await host.Admin.Get($"/v2/connectors/{site.Connector1}")).First["currentChargingLoad"]!);
    }

    [Fact]
    public async Task A_full_batch_of_100_by_50_is_stored_in_one_go()
    {
        await using var host = await TestHost.StartAsync();
        var site = await Site.CreateAsync(host.Admin);
        var start = new DateTimeOffset(2021, 7, 10, 0, 0, 0, TimeSpan.Zero);
        var batch = Batch(site.ChargePointId, 1, Enumerable.Range(0, 100).Select(i => (Iso.Format(start.AddMinutes(i)),
            Enumerable.Range(0, 50).Select(j => (object)new { measurand = "Energy.Active.Import.Register", value = i * 50 + j }).ToArray())).ToArray());
        var response = await host.Admin.Post("/v2/meter_values", batch);
        Assert.Equal(201, response.Status);

        var page = await host.Admin.Get($"/v2/meter_values?connector={site.Connector1}&{Window}&limit=1000&offset=4500");
        Assert.Equal(5000, page.Total);
        Assert.Equal(500, page.Data.Count);
        Assert.Equal(Iso.Format(start.AddMinutes(90)), (string?)page.First["timestamp"]);
    }

    [Fact]
    public async Task List_needs_a_scope_and_the_window_and_filters_by_each()
    {
        await using var host = await TestHost.StartAsync();
        var a = await Site.CreateAsync(host.Admin, "a");
        var b = await Site.CreateAsync(host.Admin, "b");
        object[] power = [new { measurand = "Power.Active.Import", unit = "kW", value = 1 }];
        await host.Admin.Create("/v2/meter_values", Batch(a.ChargePointId, 1, ("2021-07-10T10:00:00Z", power), ("2021-07-10T11:00:00Z", power)));
        await host.Admin.Create("/v2/meter_values", Batch(a.ChargePointId, 2, ("2021-07-10T12:00:00Z", power)));
        await host.Admin.Create("/v2/meter_values", Batch(b.ChargePointId, 1, ("2021-07-10T12:00:00Z", power)));

        Assert.NotNull((await host.Admin.Get($"/v2/meter_values?{Window}")).FailFor("network"));
        Assert.NotNull((await host.Admin.Get($"/v2/meter_values?network={a.NetworkId}&start=2021-01-01T00:00:00Z")).FailFor("end"));
        Assert.NotNull((await host.Admin.Get($"/v2/meter_values?network={a.NetworkId}&end=2021-01-01T00:00:00Z")).FailFor("start"));
        Assert.NotNull((await host.Admin.Get($"/v2/meter_values?network={a.NetworkId}&start=2022-01-01T00:00:00Z&end=2021-01-01T00:00:00Z")).FailFor("end"));

        Assert.Equal(3, (await host.Admin.Get($"/v2/meter_values?network={a.NetworkId}&{Window}")).Total);
        Assert.Equal(3, (await host.Admin.Get($"/v2/meter_values?chargepoint={a.ChargePointId}&{Window}")).Total);
        Assert.Equal(2, (await host.Admin.Get($"/v2/meter_values?connector={a.Connector1}&{Window}")).Total);
        Assert.Equal(1, (await host.Admin.Get($"/v2/meter_values?connector={a.Connector2}&{Window}")).Total);
        Assert.Equal(1, (await host.Admin.Get($"/v2/meter_values?network={b.NetworkId}&{Window}")).Total);
        Assert.Equal(0, (await host.Admin.Get($"/v2/meter_values?vehicle={Guid.NewGuid()}&{Window}")).Total);
        var narrow = await host.Admin.Get($"/v2/meter_values?network={a.NetworkId}&start=2021-07-10T10:30:00Z&end=2021-07-10T11:00:00Z");
        Assert.Equal(1, narrow.Total);
        var page = await host.Admin.Get($"/v2/meter_values?network={a.NetworkId}&{Window}&limit=2");
        Assert.Equal(3, page.Total);
        Assert.Equal(2, page.Data.Count);
        Assert.Equal("2021-07-10T10:00:00.000000+00:00", (string?)page.First["timestamp"]);
    }

    [Fact]
    public async Task Auth_isolation_and_events()
    {
        await using var host = await TestHost.StartAsync();
        var site = await Site.CreateAsync(host.Admin);
        var events = new List<NetworkChanged>();
        host.Services.GetRequiredService<DomainEvents>().OnNetworkChanged(e => { lock (events) events.Add(e); });
        object[] power = [new { measurand = "Power.Active.Import", unit = "kW", value = 1 }];

        using var anonymous = host.Client(token: null!);
        Assert.Equal(401, (await anonymous.Post("/v2/meter_values", Batch(site.ChargePointId, 1, ("2021-07-10T10:00:00Z", power)))).Status);
        Assert.Equal(401, (await anonymous.Get($"/v2/meter_values?network={site.NetworkId}&{Window}")).Status);

        using var other = await SecondCustomer.CreateAsync(host);
        var foreign = await other.Post("/v2/meter_values", Batch(site.ChargePointId, 1, ("2021-07-10T10:00:00Z", power)));
        Assert.Equal(400, foreign.Status);
        Assert.NotNull(foreign.FailFor("chargePointId"));
        lock (events) Assert.Empty(events);

        // Without a session nothing is planned on the connector: no replanning.
        await host.Admin.Create("/v2/meter_values", Batch(site.ChargePointId, 1, ("2021-07-10T10:00:00Z", power)));
        Assert.Equal(0, (await other.Get($"/v2/meter_values?network={site.NetworkId}&{Window}")).Total);
        lock (events) Assert.Empty(events);

        // With a session, the first power reading and later real changes replan; small wobbles do not.
        await site.StartAsync(host.Admin);
        lock (events) events.Clear();
        await host.Admin.Create("/v2/meter_values", Batch(site.ChargePointId, 1, ("2021-07-10T10:01:00Z", power)));
        object[] wobble = [new { measurand = "Power.Active.Import", unit = "kW", value = 1.5 }];
        await host.Admin.Create("/v2/meter_values", Batch(site.ChargePointId, 1, ("2021-07-10T10:02:00Z", wobble)));
        object[] jump = [new { measurand = "Power.Active.Import", unit = "kW", value = 7 }];
        await host.Admin.Create("/v2/meter_values", Batch(site.ChargePointId, 1, ("2021-07-10T10:03:00Z", jump)));
        lock (events)
        {
            Assert.Equal(2, events.Count);
            Assert.All(events, e => Assert.Equal(site.NetworkId, e.NetworkId));
            Assert.All(events, e => Assert.Equal("measured power changed", e.Reason));
        }
    }
}
