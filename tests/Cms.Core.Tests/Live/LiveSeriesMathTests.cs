using Cms.Core.Domain.Alerts;
using Cms.Core.Domain.Planning;
using Cms.Core.Domain.Profiles;
using Cms.Core.Domain.StatusHistory;

namespace Cms.Core.Tests.Live;

/// <summary>The pure arithmetic behind uptime, connectivity and the meter value profiles, on hand-computed cases.</summary>
public sealed class LiveSeriesMathTests
{
    private static readonly DateTimeOffset T = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static DateTimeOffset H(double hours) => T.AddHours(hours);

    [Fact]
    public void Buckets_average_entities_by_the_time_each_has_a_value()
    {
        // A: up 0–2 h, down 2–4 h. B: exists from 3 h, up.
        List<Piece> a = [new(H(0), H(2), 1), new(H(2), H(4), 0)];
        List<Piece> b = [new(H(0), H(3), null), new(H(3), H(4), 1)];
        var buckets = Timeline.Buckets([a, b], H(0), H(4), TimeSpan.FromHours(2));
        Assert.Equal([(H(0), (double?)1.0), (H(2), 1.0 / 3)], buckets);
        Assert.Equal(3.0 / 5, Timeline.Buckets([a, b], H(0), H(4), TimeSpan.FromHours(4))[0].Value);
        Assert.Null(Timeline.Buckets([b], H(0), H(2), TimeSpan.FromHours(1))[1].Value);
    }

    [Fact]
    public void A_later_record_at_the_same_instant_wins_and_a_state_holds_until_the_next()
    {
        var series = Timeline.Series([(H(0), 0), (H(1), 1), (H(1), 0), (H(3), 1)]);
        Assert.Equal(0, series.ValueAt(H(2)));
        Assert.Equal(1, series.ValueAt(H(500)));
        var clipped = Timeline.Clip(series.Over(H(0), H(4), 0), H(1), H(3.5), H(0), H(4));
        Assert.Equal(0.5 / 2.5, StepSeries.TimeWeightedAverage(clipped));
    }

    [Fact]
    public void Energy_is_spread_between_register_readings_and_a_register_that_went_down_counts_nothing()
    {
        var readings = new List<(DateTimeOffset, double)> { (H(0), 10), (H(2), 14), (H(3), 1), (H(4), 2) };
        var buckets = MeterSeries.EnergyPerBucket([readings], H(0), H(5), TimeSpan.FromHours(1));
        Assert.Equal([2.0, 2.0, 0.0, 1.0, null], buckets.Select(b => b.Value));
    }

    [Fact]
    public void Temperatures_are_kelvin_and_power_sums_connectors()
    {
        Assert.Equal(273.15, MeterSeries.ToKelvin(0, "Celsius"));
        Assert.Equal(273.15, MeterSeries.ToKelvin(32, "Fahrenheit")!.Value, 9);
        Assert.Equal(300, MeterSeries.ToKelvin(300, "K"));
        var one = new List<(DateTimeOffset, double)> { (H(0), 4) };
        var two = new List<(DateTimeOffset, double)> { (H(0), 6), (H(0.125), 2) };
        var sums = MeterSeries.SumOfAverages([one, two], H(0), H(0.5), TimeSpan.FromMinutes(15));
        // 0–15 min: 4 + (6 and 2 for half each); 15–30 min: the first reading has gone stale (held 15 min at most).
        Assert.Equal([4 + 4.0, 2.0], sums.Select(s => s.Value));
    }

    [Fact]
    public void Alert_names_map_to_the_specs_alertOptions_keys()
    {
        Assert.Equal("callError", AlertCatalog.OptionKey("CALL_ERROR"));
        Assert.Equal("meterValueLimitViolation", AlertCatalog.OptionKey("METER_VALUE_LIMIT_VIOLATION"));
        Assert.Equal(27, AlertCatalog.Names.Length); // the spec's alert_name_schema_enum
        Assert.All(AlertCatalog.Definitions.Values, d => Assert.Contains(d.Urgency, AlertCatalog.Urgencies));
        Assert.All(AlertCatalog.Definitions.Values, d => Assert.All(d.Category, c => Assert.Contains(c, AlertCatalog.Categories)));
    }
}
