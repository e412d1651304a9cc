using Cms.Core.Domain.Ocpp.Stations;
using Newtonsoft.Json.Linq;

namespace Cms.Core.Tests.Ocpp;

/// <summary>The small rules OCPP 2.0.1 transactions and EVSEs follow.</summary>
public sealed class StationRulesTests
{
    [Fact]
    public void SeqNos_are_kept_as_ranges_and_a_repeat_is_recognised()
    {
        var set = new SeqNoSet();
        foreach (var n in new long[] { 0, 1, 2, 5, 4 }) Assert.True(set.Add(n));
        Assert.Equal("0-2,4-5", set.ToString());
        Assert.False(set.Add(4));
        Assert.True(set.Add(3));
        Assert.Equal("0-5", set.ToString());

        var parsed = SeqNoSet.Parse("0-5,9");
        Assert.True(parsed.Contains(3) && parsed.Contains(9) && !parsed.Contains(7));
        Assert.Equal("0-5,9", parsed.ToString());
        Assert.Equal("", SeqNoSet.Parse(null).ToString());
    }

    [Theory]
    [InlineData("Occupied", new[] { "Unavailable", "Occupied" })]
    [InlineData("Available", new[] { "Available", "Unavailable" })]
    [InlineData("Reserved", new[] { "Available", "Reserved" })]
    [InlineData("Faulted", new[] { "Faulted", "Unavailable" })]
    [InlineData("Unavailable", new string[0])]
    public void An_evse_takes_the_status_of_its_busiest_connector(string expected, string[] connectors) =>
        Assert.Equal(expected, EvseStatus.Rollup(connectors));

    [Theory]
    [InlineData("Charging", "Charging")]
    [InlineData("SuspendedEV", "SuspendedEV")]
    [InlineData("SuspendedEVSE", "SuspendedEVSE")]
    [InlineData("Idle", "Preparing")]
    [InlineData("EVConnected", "Preparing")]
    public void A_charging_state_maps_onto_the_connector_status_the_planner_knows(string state, string status) =>
        Assert.Equal(status, StationTransactions.ConnectorStatusOf(state));

    [Fact]
    public void The_start_register_is_the_transaction_begin_sample_in_kwh()
    {
        var meterValue = JArray.Parse("""
            [{"timestamp":"2031-05-01T00:00:00Z","sampledValue":[
              {"value":"900","measurand":"Energy.Active.Import.Register","unit":"Wh","phase":"L1"},
              {"value":"1200","measurand":"Energy.Active.Import.Register","unit":"Wh","context":"Sample.Periodic"},
              {"value":"1500","measurand":"Energy.Active.Import.Register","unit":"Wh","context":"Transaction.Begin"}]}]
            """);
        Assert.Equal(1.5, MeterReadings.StartRegisterKwh(meterValue));
        Assert.Equal(2.0, MeterReadings.StartRegisterKwh(JArray.Parse("""[{"timestamp":"2031-05-01T00:00:00Z","sampledValue":[{"value":"2","unit":"kWh"}]}]""")));
        Assert.Null(MeterReadings.StartRegisterKwh(JArray.Parse("""[{"timestamp":"2031-05-01T00:00:00Z","sampledValue":[{"value":"7","measurand":"Power.Active.Import","unit":"W"}]}]""")));
    }
}
