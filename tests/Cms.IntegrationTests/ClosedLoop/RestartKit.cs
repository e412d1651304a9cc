using Cms.IntegrationTests.Harness;
using Cms.IntegrationTests.Ocpp;
using Cms.Ocpp.Tests.Support;
using Newtonsoft.Json.Linq;

namespace Cms.IntegrationTests.ClosedLoop;

/// <summary>What the delivery restart and reboot tests share: a charger that answers profiles one way, and a profile's limit.</summary>
internal static class RestartKit
{
    public static async Task<NodeCharger> ChargerAsync(TestHost host, string ocppId, string answer, bool boot)
    {
        var charger = await host.ConnectAsync($"/ocpp/{ocppId}");
        await charger.HandleAsync("SetChargingProfile", new { status = answer });
        if (boot) await charger.BootAsync();
        return charger;
    }

    /// <summary>The first period's limit of a received 1.6 SetChargingProfile.</summary>
    public static double Limit(JObject received) =>
        (double)received["payload"]!["csChargingProfiles"]!["chargingSchedule"]!["chargingSchedulePeriod"]![0]!["limit"]!;
}
