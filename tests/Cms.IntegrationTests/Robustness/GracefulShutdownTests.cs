using System.Net.WebSockets;
using Cms.IntegrationTests.Harness;
using Cms.IntegrationTests.Ocpp;
using Cms.Ocpp.Tests.Support;
using Dapper;
using Cms.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Cms.IntegrationTests.Robustness;

/// <summary>Stopping the host (SIGTERM) answers the CALLs already sent, closes chargers with 1001 and flushes the message log.</summary>
public sealed class GracefulShutdownTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task Stopping_answers_calls_in_flight_closes_with_going_away_and_keeps_every_frame()
    {
        await using var host = await TestHost.StartAsync();
        var (_, cpId, ocppId) = await OcppKit.ChargePointAsync(host.Admin, "drain");
        await using var charger = await WsClient.ConnectAsync(host.OcppUri($"ocpp/{ocppId}"), ["ocpp1.6"]);
        // Answered: the connection is up on the host's side too, not only on ours.
        Assert.Equal(3, (int)(await charger.CallAsync("boot", "BootNotification", """{"chargePointVendor":"V","chargePointModel":"M"}"""))[0]);
        const int calls = 20;
        for (var i = 0; i < calls; i++)
            await charger.SendAsync($$"""[2,"c{{i}}","StatusNotification",{"connectorId":1,"errorCode":"NoError","status":"Available"}]""");

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var stopping = host.StopAsync();
        var answered = new HashSet<string>();
        while (await charger.ReceiveAsync() is { } text)
        {
            var frame = ApiClient.Parse($$"""{"f":{{text}}}""")["f"]!;
            if ((int)frame[0]! == 3) answered.Add((string)frame[1]!);
        }
        var closedAfter = clock.Elapsed;
        await stopping;
        output.WriteLine($"closed after {closedAfter.TotalMilliseconds:F0} ms, host stopped after {clock.Elapsed.TotalMilliseconds:F0} ms");

        Assert.Equal(calls, answered.Count);
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, charger.Socket.CloseStatus);
        var logged = await host.Services.GetRequiredService<Database>().ReadAsync(db =>
            db.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM ocpp_messages_all WHERE chargePointId = @cpId", new { cpId }));
        Assert.Equal(2 * calls + 2, logged); // and the boot
    }
}
