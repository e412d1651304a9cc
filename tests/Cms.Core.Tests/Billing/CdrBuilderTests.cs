using Cms.Core.Domain.Cdrs;
using Newtonsoft.Json.Linq;

namespace Cms.Core.Tests.Billing;

public sealed class CdrBuilderTests
{
    private static readonly DateTimeOffset Start = new(2031, 5, 1, 8, 0, 0, TimeSpan.Zero);

    private static CdrInputs Inputs(Dictionary<string, object?> session, params RegisterReading[] registers) => new(
        "cdr-1",
        session,
        new Dictionary<string, object?> { ["id"] = "net-1", ["name"] = "Depot", ["country"] = "nl", ["currency"] = "EUR", ["defaultTariff"] = 0.4, ["defaultTax"] = 0.21 },
        new Dictionary<string, object?> { ["id"] = "cp-1", ["ocppId"] = "CP-1" },
        new Dictionary<string, object?> { ["currentType"] = "DC", ["plugType"] = "CCS2" },
        "AMP",
        registers,
        Start.AddHours(3));

    private static Dictionary<string, object?> Session(double? meterStart, double? meterStop, double minutes, double? energyConsumed = null) => new()
    {
        ["id"] = "s-1", ["sessionStart"] = "2031-05-01T08:00:00.000000+00:00",
        ["sessionEnd"] = Start.AddMinutes(minutes).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'+00:00'"),
        ["meterStart"] = meterStart, ["meterStop"] = meterStop, ["energyConsumed"] = energyConsumed, ["connectorNumber"] = 2L,
    };

    [Fact]
    public void Energy_is_priced_with_and_without_vat_and_time_costs_nothing()
    {
        var cdr = CdrBuilder.Build(Inputs(Session(100, 110, 60)));
        Assert.Equal(10.0, (double)cdr["total_energy"]!, 6);
        Assert.Equal(4.0, (double)cdr["total_cost"]!["excl_vat"]!, 6);
        Assert.Equal(4.84, (double)cdr["total_cost"]!["incl_vat"]!, 6);
        Assert.Equal(4.84, (double)cdr["total_energy_cost"]!["incl_vat"]!, 6);
        Assert.Equal(0.0, (double)cdr["total_time_cost"]!["incl_vat"]!);
        Assert.Equal(1.0, (double)cdr["total_time"]!, 6);
        Assert.Equal("NL", (string?)cdr["country_code"]);
        Assert.Equal("DC", (string?)cdr["cdr_location"]!["connector_power_type"]);
        Assert.Equal("IEC_62196_T2_COMBO", (string?)cdr["cdr_location"]!["connector_standard"]);
        Assert.Equal("2", (string?)cdr["cdr_location"]!["connector_id"]);
        Assert.Equal("OTHER", (string?)cdr["cdr_token"]!["type"]);
    }

    [Fact]
    public void Periods_follow_the_register_and_a_period_without_energy_is_parking()
    {
        var cdr = CdrBuilder.Build(Inputs(Session(100, 106, 60),
            new RegisterReading(Start.AddMinutes(20), 106),
            new RegisterReading(Start.AddMinutes(10), 99),   // goes backwards: ignored
            new RegisterReading(Start.AddMinutes(90), 200)));  // after the end: ignored
        var periods = ((JArray)cdr["charging_periods"]!).Cast<JObject>().ToList();
        Assert.Equal(2, periods.Count);
        Assert.Equal(6.0, (double)periods[0]["dimensions"]!.Single(d => (string?)d["type"] == "ENERGY")["volume"]!, 6);
        Assert.Equal("PARKING_TIME", (string?)periods[1]["dimensions"]![0]!["type"]);
        Assert.Equal(0.6667, (double)periods[1]["dimensions"]![0]!["volume"]!, 4);
        Assert.Equal(0.6667, (double)cdr["total_parking_time"]!, 4);
    }

    [Fact]
    public void Without_a_stop_reading_the_measured_energy_counts_and_a_negative_register_difference_is_zero()
    {
        Assert.Equal(2.5, (double)CdrBuilder.Build(Inputs(Session(null, null, 30, energyConsumed: 2.5)))["total_energy"]!, 6);
        Assert.Equal(0.0, (double)CdrBuilder.Build(Inputs(Session(50, 40, 30)))["total_energy"]!, 6);
        Assert.Equal("AMP", CdrWriter.PartyId(null));
        Assert.Equal("DEF", CdrWriter.PartyId("default"));
        Assert.Equal("X1A", CdrWriter.PartyId("x-1"));
    }
}
