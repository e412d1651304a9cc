using Cms.Core.Domain.Planning;
using Newtonsoft.Json.Linq;

namespace Cms.Core.Tests.Billing;

public sealed class RouteNeedsTests
{
    private static readonly DateTimeOffset Now = new(2031, 5, 1, 8, 0, 0, TimeSpan.Zero);

    private static PlanningSession Session(double? need, DateTimeOffset? departure) =>
        new("s", "cp", "c", 1, null, "kW", "DC", 400, 1, 22, 3, need, departure, null, true);

    [Fact]
    public void The_route_need_is_what_the_battery_lacks_for_its_demand()
    {
        Assert.Equal(12.0, RouteNeeds.Need(JObject.FromObject(new { stateOfCharge = 70 }), 60, 50, 0)!.Value, 6);
        Assert.Equal(0.0, RouteNeeds.Need(JObject.FromObject(new { stateOfCharge = 40 }), 60, 50, 0)!.Value, 6);
        Assert.Equal(10.0, RouteNeeds.Need(JObject.FromObject(new { energy = 40 }), 60, 50, 5)!.Value, 6);  // SoC known: 30 kWh held
        Assert.Equal(35.0, RouteNeeds.Need(JObject.FromObject(new { energy = 40 }), null, null, 5)!.Value, 6); // unknown: minus what was charged
        Assert.Equal(40.0, RouteNeeds.Need(JObject.FromObject(new { energy = 40, stateOfCharge = 70 }), null, null, 0)!.Value, 6);
        Assert.Null(RouteNeeds.Need(JObject.FromObject(new { distance = 100 }), 60, 50, 0));
        Assert.Null(RouteNeeds.Need(null, 60, 50, 0));
    }

    [Fact]
    public void A_route_brings_the_departure_forward_and_raises_the_need_never_lowers_it()
    {
        var route = new RouteNeeds.RouteNeed(Now.AddHours(2), 12);
        var later = RouteNeeds.Apply(Session(5, Now.AddHours(8)), route);
        Assert.Equal((12.0, Now.AddHours(2)), (later.EnergyNeedKwh!.Value, later.Departure!.Value));
        var sooner = RouteNeeds.Apply(Session(20, Now.AddHours(1)), route);
        Assert.Equal((20.0, Now.AddHours(1)), (sooner.EnergyNeedKwh!.Value, sooner.Departure!.Value));
        var unknown = RouteNeeds.Apply(Session(null, null), route);
        Assert.Equal(12.0, unknown.EnergyNeedKwh);
        var distanceOnly = RouteNeeds.Apply(Session(null, null), new RouteNeeds.RouteNeed(Now.AddHours(2), null));
        Assert.Null(distanceOnly.EnergyNeedKwh);
        Assert.Equal(Now.AddHours(2), distanceOnly.Departure);
        var untouched = Session(1, null);
        Assert.Same(untouched, RouteNeeds.Apply(untouched, null));
    }
}
