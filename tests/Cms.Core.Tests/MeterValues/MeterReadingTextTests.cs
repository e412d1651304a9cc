using System.Globalization;
using Cms.Core.Domain.MeterValues;
using Cms.Core.Resources;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Cms.Core.Tests.MeterValues;

/// <summary>What the hot path writes by hand reads as what Newtonsoft's writer would write (the store's view reads it
/// back), and the loops that replaced LINQ choose as it did.</summary>
public sealed class MeterReadingTextTests
{
    private static readonly Sample[] Awkward =
    [
        new(7000, "Power.Active.Import", null, "W", "Sample.Periodic", "Raw", "Outlet"),
        new(0.30000000000000004, "Voltage", "L1-N", "V", "Sample.Clock", "Raw", "Outlet"),
        new(1e-7, "Current.Import", "L2", "A", "Trigger", "SignedData", "Cable"),
        new(-0.5, "Quo\"te\\back", "tab\there", "Ünit °C", "line\nbreak", "\u2028", "EV"),
        new(1.7976931348623157e308, "Energy.Active.Import.Register", null, "Wh", "", "", ""),
        new(double.NaN, "SoC", null, "Percent", "x", "y", "z"),
        new(double.NegativeInfinity, "Temperature", null, "Celsius", "x", "y", "z"),
    ];

    [Fact]
    public void The_samples_column_reads_as_what_Newtonsoft_writes()
    {
        for (var from = 0; from < Awkward.Length; from++)
            for (var count = 0; from + count <= Awkward.Length; count++)
            {
                var text = MeterReading.SamplesJson(Awkward, from, count);
                Assert.True(JToken.DeepEquals(JToken.Parse(Newtonsoft(Awkward, from, count)), JToken.Parse(text)), text);
            }
    }

    [Fact]
    public void A_number_written_by_hand_is_the_text_Newtonsoft_writes()
    {
        var random = new Random(3);
        var values = new List<double> { 0, -0.0, 1, -1, 7000, 0.1, 1e-7, 1e21, 1e22, 123456789012345680, double.MaxValue, double.MinValue, double.Epsilon, 5e-324, 0.30000000000000004 };
        for (var i = 0; i < 20_000; i++)
        {
            values.Add(BitConverter.Int64BitsToDouble(random.NextInt64()));
            values.Add(Math.Round(random.NextDouble() * 100_000, random.Next(0, 4)));
        }
        foreach (var v in values.Where(double.IsFinite))
            Assert.Equal(JsonConvert.ToString(v), JsonText.AppendNumber(new System.Text.StringBuilder(), v).ToString());
    }

    [Fact]
    public void A_json_string_written_by_hand_reads_back_as_its_text()
    {
        foreach (var value in new[] { "", "plain", "say \"hi\"", "C:\\path\\", "\u0000\u0001\u001f\b\f\n\r\t", "\u2028 Zürich 🚗 \u007f", "[2,\"id\",\"X\",{\"a\":\"\\\"\"}]" })
        {
            var json = JsonText.AppendString(new System.Text.StringBuilder(), value).ToString();
            Assert.Equal(value, JToken.Parse(json).Value<string>());
        }
        Assert.Equal(JTokenType.Null, JToken.Parse(JsonText.AppendString(new System.Text.StringBuilder(), null).ToString()).Type);
    }

    [Fact]
    public void A_long_json_string_reads_back_whole_wherever_its_escapes_fall_against_the_write_buffer()
    {
        // The writer copies through a 4,096-character buffer: with each offset of plain characters before them, escapes of
        // 2 and 6 characters (\" and \u0001) end at every position near its end, and plain characters that need none (é, and
        // 🚗, a surrogate pair that must not come apart) fall on it too.
        for (var offset = 0; offset < 7; offset++)
            foreach (var escape in new[] { "\"", "\u0001", "é", "🚗" })
            {
                var value = new string('a', offset) + string.Concat(Enumerable.Repeat("a" + escape, 3_000));
                var json = JsonText.AppendString(new System.Text.StringBuilder("prefix "), value).ToString();
                Assert.StartsWith("prefix \"", json);
                Assert.Equal(value, JToken.Parse(json["prefix ".Length..]).Value<string>());
            }
    }

    [Fact]
    public void For_the_message_log_a_nul_is_written_as_the_replacement_character_and_the_rest_escaped_as_usual()
    {
        var json = JsonText.AppendString(new System.Text.StringBuilder(), "\u0000a\"\u0000\u0001\u0000", nulAsReplacement: true).ToString();
        Assert.Equal("\"\uFFFDa\\\"\uFFFD\\u0001\uFFFD\"", json);
        Assert.Equal("\uFFFDa\"\uFFFD\u0001\uFFFD", JToken.Parse(json).Value<string>());
    }

    [Fact]
    public void The_whole_connector_value_prefers_the_outlet_then_the_total_then_the_first_of_each_line_in_order()
    {
        static Sample P(double kw, string? phase, string location = "Outlet") => new(kw, "Power.Active.Import", phase, "kW", "", "", location);
        Assert.Null(MeterMath.PowerKw([]));
        Assert.Equal(11, MeterMath.PowerKw([P(3, "L1"), P(11, null), P(4, "L2")]));
        Assert.Equal(3 + 4.5 + 0.1, MeterMath.PowerKw([P(3, "L1-N"), P(9, "L1"), P(4.5, "L3"), P(1, "N"), P(2, "L1-L2"), P(0.1, "L2")]));
        Assert.Equal(2, MeterMath.PowerKw([P(5, null, "Inlet"), P(2, "L1")]));
        Assert.Equal(5, MeterMath.PowerKw([P(5, null, "Inlet"), P(2, "L1", "Cable")]));
        Assert.Null(MeterMath.PowerKw([P(1, "N"), P(2, "L1-L2")]));
        Assert.Null(MeterMath.RegisterKwh([P(3, null)]));
    }

    private static string Newtonsoft(IReadOnlyList<Sample> samples, int from, int count)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var json = new JsonTextWriter(text))
        {
            json.WriteStartArray();
            for (var k = from; k < from + count; k++)
            {
                var s = samples[k];
                json.WriteStartArray();
                foreach (var field in new[] { s.Measurand, s.Phase, s.Unit, s.Context, s.Format, s.Location }) json.WriteValue(field);
                json.WriteValue(s.Value);
                json.WriteEndArray();
            }
            json.WriteEndArray();
        }
        return text.ToString();
    }
}
