using Cms.Core.Domain.MeterValues;
using Cms.Core.Resources;
using Newtonsoft.Json.Linq;

namespace Cms.Core.Tests.Domain;

public sealed class MeterMathTests
{
    private static Sample S(string measurand, double value, string? unit, string? phase = null, string location = "Outlet") =>
        new(value, measurand, phase, unit, "Sample.Periodic", "Raw", location);

    [Theory]
    [InlineData(11000, "W", 11.0)]
    [InlineData(7.4, "kW", 7.4)]
    public void Power_converts_to_kW(double value, string unit, double kw) => Assert.Equal(kw, MeterMath.ToKw(value, unit)!.Value, 9);

    [Theory]
    [InlineData(56790, "Wh", 56.79)]
    [InlineData(12.5, "kWh", 12.5)]
    public void Energy_converts_to_kWh(double value, string unit, double kwh) => Assert.Equal(kwh, MeterMath.ToKwh(value, unit)!.Value, 9);

    [Fact]
    public void Other_units_do_not_convert()
    {
        Assert.Null(MeterMath.ToKw(1, "Wh"));
        Assert.Null(MeterMath.ToKwh(1, "kvarh"));
    }

    [Fact]
    public void A_total_sample_wins_over_phases()
    {
        var kw = MeterMath.PowerKw([S("Power.Active.Import", 1000, "W", "L1"), S("Power.Active.Import", 9, "kW")]);
        Assert.Equal(9.0, kw);
    }

    [Fact]
    public void Phases_only_are_summed_without_neutral_or_duplicates()
    {
        var kw = MeterMath.PowerKw([
            S("Power.Active.Import", 1000, "W", "L1"), S("Power.Active.Import", 1000, "W", "L1-N"),
            S("Power.Active.Import", 2000, "W", "L2-N"), S("Power.Active.Import", 3, "kW", "L3"),
            S("Power.Active.Import", 500, "W", "N"), S("Power.Active.Import", 400, "W", "L1-L2"),
        ]);
        Assert.Equal(6.0, kw!.Value, 9);
    }

    [Fact]
    public void Outlet_is_preferred_and_other_measurands_are_ignored()
    {
        Assert.Equal(2.0, MeterMath.PowerKw([S("Power.Active.Import", 5, "kW", location: "Inlet"), S("Power.Active.Import", 2, "kW")]));
        Assert.Equal(5.0, MeterMath.PowerKw([S("Power.Active.Import", 5, "kW", location: "Inlet"), S("Power.Offered", 22, "kW")]));
        Assert.Null(MeterMath.PowerKw([S("Voltage", 230, "V")]));
        Assert.Equal(10.0, MeterMath.RegisterKwh([S("Energy.Active.Import.Register", 10000, "Wh"), S("Energy.Active.Export.Register", 3, "kWh")]));
    }
}

public sealed class MeterValuesRequestTests
{
    [Theory]
    [InlineData("56790", 56790.0)]
    [InlineData(" 12.5 ", 12.5)]
    [InlineData("-3e2", -300.0)]
    public void Values_may_be_numeric_strings(string text, double expected) =>
        Assert.Equal(expected, MeterValuesRequest.ParseValue(new JValue(text)));

    [Theory]
    [InlineData("abc")]
    [InlineData("NaN")]
    [InlineData("1,5")]
    public void Non_numbers_are_refused(string text) => Assert.Null(MeterValuesRequest.ParseValue(new JValue(text)));

    [Fact]
    public void Omitted_fields_get_OCPPs_defaults_and_the_measurands_base_unit()
    {
        var request = MeterValuesRequest.Parse(JToken.Parse("""
            {"chargePointId":"33fe5b42-f717-43f6-ba0a-eab4cae81bfa","connectorId":1,"meterValues":[{"timestamp":"2021-07-10T17:40:56+00:00",
             "sampledValue":[{"value":"1"},{"value":2,"measurand":"Power.Active.Import"},{"value":50,"measurand":"Frequency"}]}]}
            """));
        var samples = request.MeterValues[0].Samples;
        Assert.Equal(("Energy.Active.Import.Register", "Wh", "Sample.Periodic", "Raw", "Outlet"),
            (samples[0].Measurand, samples[0].Unit, samples[0].Context, samples[0].Format, samples[0].Location));
        Assert.Equal("W", samples[1].Unit);
        Assert.Null(samples[2].Unit);
        Assert.Equal("1", request.Connector);
    }

    [Fact]
    public void Errors_name_the_path_of_every_bad_field()
    {
        var failure = Assert.Throws<ApiFailure>(() => MeterValuesRequest.Parse(JToken.Parse("""
            {"chargePointId":"nope","connectorId":1,"meterValues":[{"timestamp":"x","sampledValue":[{"value":1,"unit":"kWh","measurand":"Power.Active.Import"}]}]}
            """)));
        Assert.Equal(400, failure.Status);
        Assert.Contains("chargePointId", failure.Errors.Keys);
        Assert.Contains("meterValues[0].timestamp", failure.Errors.Keys);
        Assert.Contains("meterValues[0].sampledValue[0].unit", failure.Errors.Keys);
    }
}

public sealed class BucketFilterTests
{
    private static readonly string[] Buckets = ["<300", ">=300", ">=1800"];

    [Theory]
    [InlineData("<300", "<", 300)]
    [InlineData(">=1800", ">=", 1800)]
    [InlineData(" >= 300 ", ">=", 300)]
    public void Listed_buckets_parse(string text, string op, double threshold) =>
        Assert.Equal((op, threshold), BucketFilter.Parse("chargingDuration", text, Buckets));

    [Theory]
    [InlineData(">=301")]
    [InlineData("300")]
    [InlineData("<=300")]
    [InlineData("")]
    public void Anything_else_names_the_parameter(string text)
    {
        var failure = Assert.Throws<ApiFailure>(() => BucketFilter.Parse("chargingDuration", text, Buckets));
        Assert.Equal(400, failure.Status);
        Assert.Contains("chargingDuration", failure.Errors.Keys);
    }

    [Fact]
    public void Several_values_mean_any_of()
    {
        var p = new SqlParams();
        var sql = BucketFilter.For("chargingDuration", "d", Buckets).ToSql(["<300", ">=1800"], p);
        Assert.Equal("d < @p0 OR d >= @p1", sql);
    }
}
