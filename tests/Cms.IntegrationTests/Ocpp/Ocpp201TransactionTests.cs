using Cms.IntegrationTests.Harness;
using Cms.Ocpp.Tests.Support;
using Newtonsoft.Json.Linq;
using static Cms.IntegrationTests.Ocpp.Ocpp201Station;

namespace Cms.IntegrationTests.Ocpp;

/// <summary>
/// Issue 10's site: 30 kW, 2 % buffer, 22 kW DC connectors, OCPP 2.0.1 stations (ocpp-rpc, strict mode). Transactions the
/// stations number themselves become sessions, and each station gets its limit as a 2.0.1 TxProfile for its transaction.
/// </summary>
public sealed class Ocpp201TransactionTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private TestHost Host => fixture.Host;
    private ApiClient Api => fixture.Host.Admin;

    private async Task<(string NetworkId, (string ChargePointId, string OcppId)[] Stations)> SiteAsync(int stations)
    {
        var network = await Api.Network(30);
        var list = new List<(string, string)>();
        for (var i = 0; i < stations; i++)
        {
            var ocppId = OcppKit.NewOcppId("s201");
            var cp = await Api.Create("/v2/charge_points", new { name = ocppId, maxCapacity = 22, networkId = network.Id(), ocppId });
            await Api.Connector(cp.Id(), 1, 22, "DC", 400);
            list.Add((cp.Id(), ocppId));
        }
        return (network.Id(), list.ToArray());
    }

    [NodeFact]
    public async Task Authorize_answers_a_known_id_token_accepted_and_an_unknown_one_invalid()
    {
        var (_, stations) = await SiteAsync(1);
        var known = "K201-" + Guid.NewGuid().ToString("N")[..6];
        await Api.Create("/v2/id_tags/", new { value = known, group = "RFID" });
        await using var station = await ConnectAsync(Host, stations[0].OcppId);

        var accepted = await station.CallAsync("Authorize", new { idToken = IdToken(known) });
        Assert.Equal("Accepted", (string?)accepted["idTokenInfo"]!["status"]);
        var unknown = await station.CallAsync("Authorize", new { idToken = new { idToken = "NOPE-" + known, type = "eMAID" } });
        Assert.Equal("Invalid", (string?)unknown["idTokenInfo"]!["status"]);
        station.AssertNoComplaints();
    }

    [NodeFact]
    public async Task Transactions_become_sessions_and_their_limits_follow_starts_and_stops()
    {
        var (networkId, stations) = await SiteAsync(2);
        var tag = "T201-" + Guid.NewGuid().ToString("N")[..6];
        await Api.Create("/v2/id_tags/", new { value = tag, group = "RFID" });
        await using var a = await ConnectAsync(Host, stations[0].OcppId);
        await using var b = await ConnectAsync(Host, stations[1].OcppId);
        var txA = "A-" + Guid.NewGuid().ToString("N")[..10];

        var started = await a.TransactionEventAsync("Started", txA, 0, "Authorized", "Charging", IdToken(tag),
            Meter(Sample(1500, "Energy.Active.Import.Register", "Wh", "Transaction.Begin")));
        Assert.Equal("Accepted", (string?)started["idTokenInfo"]!["status"]);

        var session = (await Api.Get($"/v2/charging_sessions?stationTransactionId={txA}")).First;
        Assert.Equal((txA, 1, "Charging", true, tag), ((string?)session["stationTransactionId"], (int)session["evseId"]!,
            (string?)session["chargingState"], (bool)session["active"]!, (string?)session["idTag"]));
        Assert.Equal(1.5, (double)session["meterStart"]!);
        Assert.Equal(stations[0].ChargePointId, (string?)session["chargePointId"]);

        var profileA = await a.ReceivedProfileAsync(l => l == 22000, "A alone gets its connector maximum");
        Assert.Equal(1, (int)profileA["evseId"]!);
        Assert.Equal("TxProfile", (string?)profileA["chargingProfile"]!["chargingProfilePurpose"]);
        Assert.Equal(txA, (string?)profileA["chargingProfile"]!["transactionId"]);
        Assert.Equal("W", (string?)profileA["chargingProfile"]!["chargingSchedule"]![0]!["chargingRateUnit"]);

        // The station resends its Started (an answer lost): same session, nothing new.
        await a.TransactionEventAsync("Started", txA, 0, "Authorized", "Charging", IdToken(tag),
            Meter(Sample(1500, "Energy.Active.Import.Register", "Wh", "Transaction.Begin")));
        Assert.Equal(1, (await Api.Get($"/v2/charging_sessions?network={networkId}")).Total);

        await a.TransactionEventAsync("Updated", txA, 1, "MeterValuePeriodic", "Charging",
            meterValue: Meter(Sample(20000, "Power.Active.Import", "W"), Sample(6500, "Energy.Active.Import.Register", "Wh")));
        Assert.Equal(20.0, (double)(await Api.GetOne($"/v2/charging_sessions/{session.Id()}"))["currentChargingLoad"]!, 6);

        var txB = "B-" + Guid.NewGuid().ToString("N")[..10];
        await b.TransactionEventAsync("Started", txB, 0, "CablePluggedIn", "Charging", IdToken(tag));
        var limitB = FirstLimit(await b.ReceivedProfileAsync(l => l > 0, "B gets a share"));
        var limitA = FirstLimit(await a.ReceivedProfileAsync(l => l < 22000, "A is lowered"));
        Assert.True(limitA + limitB <= 29400 + 1e-6, $"{limitA} + {limitB} W exceeds 29.4 kW");

        var ended = await a.TransactionEventAsync("Ended", txA, 2, "StopAuthorized", "EVConnected", IdToken(tag),
            Meter(Sample(11500, "Energy.Active.Import.Register", "Wh", "Transaction.End")), stoppedReason: "Local");
        Assert.Equal("Accepted", (string?)ended["idTokenInfo"]!["status"]);
        var closed = await Api.GetOne($"/v2/charging_sessions/{session.Id()}");
        Assert.False((bool)closed["active"]!);
        Assert.Equal(11.5, (double)closed["meterStop"]!);
        Assert.Equal(10.0, (double)closed["energyConsumption"]!, 6);
        Assert.Equal(22000, FirstLimit(await b.ReceivedProfileAsync(l => l == 22000, "B is raised back after A ends")));

        // An Updated that was late (seqNo before the Ended) changes nothing about the closed session.
        await a.TransactionEventAsync("Updated", txA, 1, "MeterValuePeriodic", "Charging");
        Assert.False((bool)(await Api.GetOne($"/v2/charging_sessions/{session.Id()}"))["active"]!);
        a.AssertNoComplaints();
        b.AssertNoComplaints();
    }

    [NodeFact]
    public async Task Events_of_an_unknown_transaction_are_answered_and_out_of_order_events_land_in_one_session()
    {
        var (networkId, stations) = await SiteAsync(1);
        await using var station = await ConnectAsync(Host, stations[0].OcppId);
        var tx = "O-" + Guid.NewGuid().ToString("N")[..10];

        // Offline replay out of order: the Updated (seqNo 1) comes before its Started (seqNo 0).
        var startedAt = DateTimeOffset.UtcNow.AddMinutes(-10);
        await station.TransactionEventAsync("Updated", tx, 1, "MeterValuePeriodic", "Charging", at: startedAt.AddMinutes(5),
            meterValue: Meter(Sample(7000, "Power.Active.Import", "W")));
        await station.TransactionEventAsync("Started", tx, 0, "CablePluggedIn", "EVConnected", at: startedAt,
            meterValue: Meter(Sample(2000, "Energy.Active.Import.Register", "Wh", "Transaction.Begin")));
        var sessions = await Api.Get($"/v2/charging_sessions?network={networkId}");
        Assert.Equal(1, sessions.Total);
        var session = sessions.First;
        Assert.Equal(startedAt.ToUnixTimeMilliseconds(), OcppKit.Time(session["sessionStart"]).ToUnixTimeMilliseconds());
        Assert.Equal(2.0, (double)session["meterStart"]!);
        Assert.Equal("Charging", (string?)session["chargingState"]); // the older Started does not overwrite it

        // Ended and Updated of a transaction never seen, without an EVSE: answered, no session invented.
        var unknown = new JObject
        {
            ["eventType"] = "Ended", ["timestamp"] = OcppKit.Ocpp(DateTimeOffset.UtcNow), ["triggerReason"] = "EVDeparted", ["seqNo"] = 7,
            ["transactionInfo"] = new JObject { ["transactionId"] = "ghost-" + tx, ["stoppedReason"] = "EVDisconnected" },
        };
        Assert.Empty(await station.CallAsync("TransactionEvent", unknown));
        Assert.Equal(0, (await Api.Get($"/v2/charging_sessions?stationTransactionId=ghost-{tx}")).Total);
        Assert.Equal(1, (await Api.Get($"/v2/charging_sessions?network={networkId}")).Total);
        station.AssertNoComplaints();
    }

    [NodeFact]
    public async Task NotifyEVChargingNeeds_is_accepted_and_the_schedule_follows_the_departure()
    {
        var (_, stations) = await SiteAsync(1);
        await using var station = await ConnectAsync(Host, stations[0].OcppId);
        var tx = "N-" + Guid.NewGuid().ToString("N")[..10];
        await station.TransactionEventAsync("Started", tx, 0, "CablePluggedIn", "Charging");
        var before = await station.ReceivedProfileAsync(l => l == 22000, "full power while the car has said nothing");
        Assert.DoesNotContain(Periods(before), p => (double)p["limit"]! == 0);

        // The car leaves in an hour, wants 50 kWh and takes at most 50 A × 400 V = 20 kW.
        var departure = DateTimeOffset.UtcNow.AddHours(1);
        var answer = await station.CallAsync("NotifyEVChargingNeeds", new
        {
            evseId = 1,
            chargingNeeds = new
            {
                requestedEnergyTransfer = "DC", departureTime = OcppKit.Ocpp(departure),
                dcChargingParameters = new { evMaxCurrent = 50, evMaxVoltage = 400, energyAmount = 50000, stateOfCharge = 40 },
            },
        });
        Assert.Equal("Accepted", (string?)answer["status"]);

        var planned = await station.ReceivedProfileAsync(l => l == 20000, "a schedule within the car's 20 kW");
        var schedule = planned["chargingProfile"]!["chargingSchedule"]![0]!;
        // The plan ends when the car leaves: the schedule stops there (its duration, or a 0 W period from then on).
        var start = OcppKit.Time(schedule["startSchedule"]);
        var stopsAt = Periods(planned).FirstOrDefault(p => (double)p["limit"]! == 0) is { } stop
            ? start.AddSeconds((int)stop["startPeriod"]!)
            : start.AddSeconds((int)schedule["duration"]!);
        Assert.InRange(stopsAt, departure.AddMinutes(-15), departure.AddMinutes(15));
        Assert.True((int)before["chargingProfile"]!["chargingSchedule"]![0]!["duration"]! >= 2 * 3600, "without a departure the plan runs longer");

        var session = (await Api.Get($"/v2/charging_sessions?stationTransactionId={tx}")).First;
        Assert.Equal(departure.ToUnixTimeMilliseconds(), OcppKit.Time(session["maximumChargingTimeDate"]).ToUnixTimeMilliseconds());
        Assert.Equal(50.0, (double)session["energyToCharge"]!, 6);
        Assert.Equal(20.0, (double)session["maxChargingPowerOfVehicle"]!, 6);
        Assert.Equal(40.0, (double)session["startSoC"]!, 6);

        var noTransaction = await station.CallAsync("NotifyEVChargingNeeds", new { evseId = 2, chargingNeeds = new { requestedEnergyTransfer = "DC" } });
        Assert.Equal("Rejected", (string?)noTransaction["status"]);
        station.AssertNoComplaints();
    }

    private static IEnumerable<JObject> Periods(JObject setChargingProfile) =>
        setChargingProfile["chargingProfile"]!["chargingSchedule"]![0]!["chargingSchedulePeriod"]!.Cast<JObject>();

    [NodeFact]
    public async Task GetVariables_and_RequestStartTransaction_sent_from_rest_reach_the_station_and_their_answers_come_back()
    {
        var (_, stations) = await SiteAsync(1);
        await using var station = await ConnectAsync(Host, stations[0].OcppId);
        var reply = JObject.Parse("""
            {"getVariableResult":[{"attributeStatus":"Accepted","attributeValue":"300","component":{"name":"OCPPCommCtrlr"},"variable":{"name":"HeartbeatInterval"}}]}
            """);
        await station.HandleAsync("GetVariables", reply);
        var request = JObject.Parse("""{"getVariableData":[{"component":{"name":"OCPPCommCtrlr"},"variable":{"name":"HeartbeatInterval"}}]}""");

        var response = await Api.Post("/v2/ocpp_messages/", new JObject
        {
            ["chargePointId"] = stations[0].ChargePointId, ["sendToCharger"] = true, ["protocol"] = "ocpp2.0.1",
            ["body"] = new JArray(2, "rest-gv-1", "GetVariables", request),
        });
        Assert.True(response.Status == 200, response.ToString());
        var answer = (JObject)response.First["messages"]![0]!;
        Assert.Equal(("Answered", "GetVariables"), ((string?)answer["status"], (string?)answer["operationType"]));
        Assert.True(JToken.DeepEquals(reply, answer["response"]), $"response {answer["response"]}");
        Assert.True(JToken.DeepEquals(request, (await station.WaitForEventAsync("received", "GetVariables"))["payload"]));

        await station.HandleAsync("RequestStartTransaction", new { status = "Accepted", transactionId = "remote-1" });
        var byId = await Api.Post($"/v2/ocpp_messages/{stations[0].OcppId}",
            JArray.Parse("""[2,"rest-rs-1","RequestStartTransaction",{"idToken":{"idToken":"REMOTE","type":"Central"},"remoteStartId":42,"evseId":1}]"""));
        Assert.True(byId.Status == 200, byId.ToString());
        Assert.Equal("remote-1", (string?)byId.First["response"]!["transactionId"]);
        Assert.Equal(42, (int)(await station.WaitForEventAsync("received", "RequestStartTransaction"))["payload"]!["remoteStartId"]!);

        // A 2.0.1 payload that breaks the schema is refused before it is sent, naming why.
        var invalid = await Api.Post($"/v2/ocpp_messages/{stations[0].OcppId}", JArray.Parse("""[2,"rest-bad-1","GetVariables",{"getVariableData":[]}]"""));
        Assert.NotEqual(200, invalid.Status);
        station.AssertNoComplaints();
    }

    [NodeFact]
    public async Task An_external_charging_limit_caps_the_station_until_it_is_cleared()
    {
        var (_, stations) = await SiteAsync(1);
        await using var station = await ConnectAsync(Host, stations[0].OcppId);
        await station.TransactionEventAsync("Started", "X-" + Guid.NewGuid().ToString("N")[..10], 0, "CablePluggedIn", "Charging");
        await station.ReceivedProfileAsync(l => l == 22000, "full power first");

        // The grid operator limits EVSE 1 to 11 kW.
        await station.CallAsync("NotifyChargingLimit", new
        {
            evseId = 1, chargingLimit = new { chargingLimitSource = "SO", isGridCritical = true },
            chargingSchedule = new[] { new { id = 1, chargingRateUnit = "W", chargingSchedulePeriod = new[] { new { startPeriod = 0, limit = 11000 } } } },
        });
        await station.ReceivedProfileAsync(l => l == 11000, "capped at the grid operator's 11 kW");

        await station.CallAsync("ClearedChargingLimit", new { chargingLimitSource = "SO", evseId = 1 });
        await station.ReceivedProfileAsync(l => l == 22000, "back to full power once cleared");
        station.AssertNoComplaints();
    }

    [NodeFact]
    public async Task A_call_for_an_offline_2_0_1_station_is_checked_queued_and_delivered_when_it_reconnects()
    {
        var (_, stations) = await SiteAsync(1);
        var (cpId, ocppId) = stations[0];
        var first = await ConnectAsync(Host, ocppId);
        await first.DisposeAsync();
        await OcppKit.EventuallyAsync(() => Api.GetOne($"/v2/charge_points/{cpId}"), cp => (string?)cp["onlineStatus"] == "OFFLINE", "station offline");

        // Checked against the 2.0.1 schema (the protocol the station last spoke) before it is queued.
        var invalid = await Api.Post($"/v2/ocpp_messages/{ocppId}", JArray.Parse("""[2,"q-bad","Reset",{"type":"Soft"}]"""));
        Assert.Equal(400, invalid.Status);
        var queued = await Api.Post($"/v2/ocpp_messages/{ocppId}", JArray.Parse("""[2,"q-1","Reset",{"type":"OnIdle","evseId":1}]"""));
        Assert.True(queued.Status == 200, queued.ToString());
        Assert.Equal("Queued", (string?)queued.First["status"]);

        await using var again = await Host.ConnectAsync($"ocpp/{ocppId}", protocol: "ocpp2.0.1");
        var received = await again.WaitForEventAsync("received", "Reset");
        Assert.Equal(("OnIdle", 1), ((string?)received["payload"]!["type"], (int)received["payload"]!["evseId"]!));
        again.AssertNoComplaints();
    }

    [NodeFact]
    public async Task An_ampere_number_phases_preset_reaches_a_2_0_1_station_in_amperes_with_its_phases()
    {
        var network = await Api.Network(30);
        var ocppId = OcppKit.NewOcppId("amp201");
        var cp = await Api.Create("/v2/charge_points", new { name = ocppId, maxCapacity = 22, networkId = network.Id(), ocppId });
        await Api.Create("/v2/connectors", new { chargePointId = cp.Id(), connectorId = 1, maxCapacity = 11, currentType = "AC_phase3_LN", voltage = 230, powerFactor = 1 });
        Assert.Equal(201, (await Api.Post($"/v2/configurations/?network={network.Id()}",
            new { deliveryOptions = new { TxProfile = "ampcontrol-sequential-ampere-number-phases-TxProfile" } })).Status);
        // Security profile 1: the station authenticates with HTTP Basic, as a 1.6 charger would.
        Assert.Equal(201, (await Api.Post($"/v2/configurations/ocpp_settings/charge_points/{cp.Id()}", new { secret = "station-201-secret" })).Status);

        var station = await Host.ConnectAsync($"ocpp/{ocppId}", password: "station-201-secret", protocol: "ocpp2.0.1");
        await using var _ = station;
        await station.HandleAsync("SetChargingProfile", new { status = "Accepted" });
        var tx = "AMP-" + Guid.NewGuid().ToString("N")[..8];
        await station.TransactionEventAsync("Started", tx, 0, "CablePluggedIn", "Charging");
        var profile = await station.ReceivedProfileAsync(l => l > 0, "ampere profile");
        var schedule = profile["chargingProfile"]!["chargingSchedule"]![0]!;
        Assert.Equal("A", (string?)schedule["chargingRateUnit"]);
        // 11 kW = 3 × 1 × I × 230 V / 1000  →  I = 15.9 A (0.1 A steps), on 3 phases.
        Assert.Equal(15.9, (double)schedule["chargingSchedulePeriod"]![0]!["limit"]!, 6);
        Assert.Equal(3, (int)schedule["chargingSchedulePeriod"]![0]!["numberPhases"]!);
        Assert.Equal(tx, (string?)profile["chargingProfile"]!["transactionId"]);
        station.AssertNoComplaints();
    }

    [NodeFact]
    public async Task A_cables_maximum_current_caps_its_transaction_and_is_lifted_when_it_ends()
    {
        var (_, stations) = await SiteAsync(1);
        await using var station = await ConnectAsync(Host, stations[0].OcppId);
        var tx = "C-" + Guid.NewGuid().ToString("N")[..10];
        await station.CallAsync("TransactionEvent", new
        {
            eventType = "Started", timestamp = OcppKit.Ocpp(DateTimeOffset.UtcNow), triggerReason = "CablePluggedIn", seqNo = 0,
            cableMaxCurrent = 16, transactionInfo = new { transactionId = tx, chargingState = "Charging" }, evse = new { id = 1, connectorId = 1 },
        });
        // 16 A on the 400 V DC connector: 6.4 kW.
        await station.ReceivedProfileAsync(l => l == 6400, "capped by the cable");
        await station.TransactionEventAsync("Ended", tx, 1, "EVDeparted", stoppedReason: "EVDisconnected");

        var tx2 = "C2-" + Guid.NewGuid().ToString("N")[..10];
        await station.TransactionEventAsync("Started", tx2, 0, "CablePluggedIn", "Charging");
        await station.ReceivedProfileAsync(l => l == 22000, "the next car is not held to the old cable");
        station.AssertNoComplaints();
    }
}
