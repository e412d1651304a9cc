using System.Globalization;
using Cms.Core.Domain.MeterValues;
using Cms.Ocpp.Framing;
using Cms.Ocpp.Schemas;
using Cms.Ocpp.V16;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Cms.Ocpp.Tests;

/// <summary>
/// The MeterValues reader against the general path (frame parser, schema, adapter rules) on thousands of frames, valid
/// and broken in every way the schema or the rules know: it never makes a command of a frame the general path rejects,
/// its command is the general path's own, and the frames chargers send are read by it.
/// </summary>
public sealed class MeterValuesReaderTests
{
    private static readonly SchemaValidator Schemas = new();
    private static readonly MeterValuesReader Reader = new(Schemas.Schema(OcppVersion.Ocpp16, "MeterValues", SchemaKind.Request));

    /// <summary>What the general path makes of the frame: its command, or null if it answers with a CALLERROR (or stores nothing).</summary>
    private static (string Id, MeterValuesRequest Request)? General(string text)
    {
        if (OcppFrameParser.Parse(text).Frame is not CallFrame { Action: "MeterValues" } call) return null;
        if (!Schemas.Validate(OcppVersion.Ocpp16, "MeterValues", SchemaKind.Request, call.Payload).IsValid) return null;
        try { return Ocpp16Adapter.ReadMeterValues("cp", call.Payload) is { } request ? (call.MessageId, request) : null; }
        catch (OcppCallException) { return null; }
    }

    private static string Canonical(string id, MeterValuesRequest r) => JsonConvert.SerializeObject(new { id, r });

    private static void AssertAgrees(string text)
    {
        var general = General(text);
        if (Reader.TryRead(text) is not { } read) return; // the general path decides: always allowed
        Assert.True(general is not null, $"read a frame the general path rejects: {text}");
        var request = new MeterValuesRequest("cp", read.ConnectorId.ToString(CultureInfo.InvariantCulture), null, read.TransactionId, read.MeterValues);
        Assert.Equal(Canonical(general.Value.Id, general.Value.Request), Canonical(read.MessageId, request));
    }

    private static JObject Sample(string value, string? measurand = null, string? unit = null, string? phase = null,
        string? context = null, string? location = null, string? format = null)
    {
        var s = new JObject { ["value"] = value };
        if (context is not null) s["context"] = context;
        if (format is not null) s["format"] = format;
        if (measurand is not null) s["measurand"] = measurand;
        if (phase is not null) s["phase"] = phase;
        if (location is not null) s["location"] = location;
        if (unit is not null) s["unit"] = unit;
        return s;
    }

    /// <summary>Frames as chargers send them.</summary>
    private static IEnumerable<JArray> Typical()
    {
        JObject Payload(int connector, long? tx, params JObject[] meterValues)
        {
            var p = new JObject { ["connectorId"] = connector, ["meterValue"] = new JArray(meterValues) };
            if (tx is { } t) p["transactionId"] = t;
            return p;
        }
        JObject Mv(string at, params JObject[] samples) => new() { ["timestamp"] = at, ["sampledValue"] = new JArray(samples) };

        yield return new JArray(2, "m1", "MeterValues", Payload(1, 42, Mv("2024-05-01T10:00:00Z",
            Sample("7000", "Power.Active.Import", "W"), Sample("123456", "Energy.Active.Import.Register", "Wh"))));
        yield return new JArray(2, "0b9c-44", "MeterValues", Payload(0, null, Mv("2024-05-01T10:00:00.123+02:00", Sample("56790"))));
        yield return new JArray(2, "x", "MeterValues", Payload(2, 9223372036854775807, Mv("2024-05-01T10:00:00.1234567Z",
            Sample("230.1", "Voltage", "V", "L1-N", "Sample.Clock", "Outlet", "Raw"),
            Sample("16.02", "Current.Import", "A", "L1"), Sample("15.9", "Current.Import", "A", "L2"), Sample("16.1", "Current.Import", "A", "L3"),
            Sample("11.04", "Power.Active.Import", "kW", null, "Sample.Periodic", "Outlet"),
            Sample("80", "SoC", "Percent", null, "Sample.Periodic", "EV"), Sample("0.98", "Power.Factor"),
            Sample("21.5", "Temperature", "Celsius", null, null, "Body"), Sample("50", "Frequency"),
            Sample("1.5e3", "Energy.Active.Import.Register", "kWh", null, "Transaction.Begin", null, "SignedData")),
            Mv("2024-05-01T10:00:10Z", Sample(" 7 ", "Power.Active.Import", "kW"))));
        yield return new JArray(2, "big", "MeterValues", Payload(int.MaxValue, 0,
            [.. Enumerable.Range(0, 100).Select(i => Mv($"2024-05-01T10:{i / 60:00}:{i % 60:00}Z",
                [.. Enumerable.Range(0, 50).Select(k => Sample((i * 50 + k).ToString(CultureInfo.InvariantCulture)))]))]));
    }

    [Fact]
    public void The_frames_chargers_send_are_read_into_the_general_path_s_own_command()
    {
        foreach (var frame in Typical())
        {
            var text = frame.ToString(Formatting.None);
            Assert.NotNull(Reader.TryRead(text));
            AssertAgrees(text);
            AssertAgrees(frame.ToString(Formatting.Indented)); // whitespace anywhere
        }
    }

    [Fact]
    public void Whitespace_of_every_JSON_kind_between_the_tokens_is_read()
    {
        foreach (var frame in Typical())
        {
            var text = frame.ToString(Formatting.Indented).Replace("\n", "\r\n\t", StringComparison.Ordinal).Replace("\": ", "\" :\t", StringComparison.Ordinal);
            Assert.NotNull(Reader.TryRead(text));
            AssertAgrees(text);
        }
    }

    [Fact]
    public void No_broken_frame_becomes_a_command_and_every_one_read_is_the_general_path_s()
    {
        var random = new Random(20261130);
        var read = 0;
        var cases = 0;
        foreach (var typical in Typical().Take(3))
            for (var i = 0; i < 1500; i++)
            {
                var frame = (JArray)typical.DeepClone();
                for (var m = random.Next(1, 3); m > 0; m--) Mutate(frame, random);
                var text = frame.ToString(Formatting.None);
                AssertAgrees(text);
                cases++;
                if (Reader.TryRead(text) is not null) read++;
            }
        foreach (var text in TextCases())
        {
            AssertAgrees(text);
            cases++;
        }
        Assert.InRange(read, cases / 20, cases); // the mutations leave some valid frames, and those are read
    }

    /// <summary>Breaks (or keeps valid) one thing anywhere in the frame.</summary>
    private static void Mutate(JArray frame, Random random)
    {
        var tokens = frame.DescendantsAndSelf().ToList();
        var target = tokens[random.Next(tokens.Count)];
        JToken[] replacements =
        [
            JValue.CreateNull(), new JValue(true), new JValue(1.5), new JValue(-1), new JValue(0), new JValue(2), new JValue("2"),
            new JValue(""), new JValue("L1"), new JValue("kWh"), new JValue("Celcius"), new JValue("Outlet"), new JValue("Power.Factor"),
            new JValue("Trigger"), new JValue("SignedData"), new JValue("abc"), new JValue("1e400"), new JValue("NaN"), new JValue(" 3.5 "),
            new JValue("2024-05-01"), new JValue("2024-05-01T10:00:00"), new JValue("2024-05-01 10:00:00Z"), new JValue("2024-13-01T10:00:00Z"),
            new JValue("May 1, 2024 10:00:00"), new JValue("2024/05/01 10:00"), new JValue("1 May 2024"), new JValue("2024-05-01T10:00:00.5-0300"),
            new JValue(9223372036854775807), new JValue(new System.Numerics.BigInteger(ulong.MaxValue) * 4), new JValue(2147483648L),
            new JObject(), new JArray(), new JArray(new JObject()), JToken.Parse("""{"value":"1"}"""), new JValue("MeterValues"),
        ];
        switch (random.Next(6))
        {
            case 0 when target.Parent is JProperty property && property.Parent is JObject: // a field goes
                property.Remove();
                break;
            case 1 when target is JObject obj: // an unknown or a known field comes
                var name = new[] { "unknown", "value", "unit", "phase", "measurand", "timestamp", "sampledValue", "connectorId", "transactionId", "meterValue" }[random.Next(10)];
                obj[name] = replacements[random.Next(replacements.Length)].DeepClone();
                break;
            case 2 when target is JArray array && array.Count > 0: // an element goes, or repeats
                if (random.Next(2) == 0) array.RemoveAt(random.Next(array.Count));
                else array.Add(array[random.Next(array.Count)].DeepClone());
                break;
            default:
                if (target.Parent is not null && target is not JProperty) target.Replace(replacements[random.Next(replacements.Length)].DeepClone());
                break;
        }
    }

    /// <summary>What only text can say: repeated fields, comments, trailing content, other frames.</summary>
    private static IEnumerable<string> TextCases()
    {
        const string sv = """{"value":"7","measurand":"Power.Active.Import","unit":"kW"}""";
        string Frame(string payload) => $$"""[2,"t","MeterValues",{{payload}}]""";
        string Payload(string samples, string extra = "") => $$"""{"connectorId":1{{extra}},"meterValue":[{"timestamp":"2024-05-01T10:00:00Z","sampledValue":[{{samples}}]}]}""";
        yield return Frame(Payload(sv));
        yield return Frame(Payload(sv, ""","connectorId":2"""));
        yield return Frame(Payload(sv, ""","transactionId":1,"transactionId":2"""));
        yield return Frame(Payload("""{"value":"7","value":"8"}"""));
        yield return Frame(Payload("""{"value":"7","unit":"W","unit":"kW","measurand":"Power.Active.Import"}"""));
        yield return Frame("""{"connectorId":1,"meterValue":[{"timestamp":"2024-05-01T10:00:00Z","timestamp":"2024-05-01T10:00:01Z","sampledValue":[{"value":"1"}]}]}""");
        yield return Frame(Payload(sv)) + " ";
        yield return Frame(Payload(sv)) + "x";
        yield return Frame(Payload(sv)) + "[]";
        yield return Frame(Payload(sv)).Replace("[2,", "[2 /* c */,", StringComparison.Ordinal);
        yield return Frame(Payload(sv)).Replace("\"t\"", "'t'", StringComparison.Ordinal);
        yield return Frame(Payload(sv)).Replace("\"connectorId\"", "connectorId", StringComparison.Ordinal);
        yield return Frame(Payload(sv)).Replace("[2,", "[2.0,", StringComparison.Ordinal);
        yield return Frame(Payload(sv)).Replace("[2,", "[3,", StringComparison.Ordinal);
        yield return Frame(Payload(sv)).Replace(":1,", ":1.0,", StringComparison.Ordinal);
        yield return Frame(Payload(sv)).Replace(":1,", ":01,", StringComparison.Ordinal);
        yield return Frame(Payload(sv)).Replace(":1,", ":1e0,", StringComparison.Ordinal);
        yield return Frame(Payload(sv)).Replace("\"MeterValues\"", "\"Heartbeat\"", StringComparison.Ordinal);
        yield return Frame(Payload(sv)).Replace("\"7\"", "7", StringComparison.Ordinal);
        yield return Frame(Payload(sv)).Replace("\"7\"", "\"\\u0037\"", StringComparison.Ordinal);
        yield return Frame(Payload(sv)).Replace("Power", "Po\\u0077er", StringComparison.Ordinal);
        yield return Frame(Payload(sv))[..^1];
        // Syntax the reader's own scanner decides on: commas, escapes, control characters, whitespace, integers.
        yield return Frame(Payload(sv, ","));
        yield return Frame(Payload("""{"value":"7",}"""));
        yield return Frame(Payload(sv + ","));
        yield return Frame(Payload(sv)).Replace("}]}]}]", "}]}],}]", StringComparison.Ordinal);
        yield return Frame(Payload(sv)).Replace("\"t\",", "\"t\"", StringComparison.Ordinal);
        yield return Frame(Payload(sv)).Replace(",\"meterValue\"", "\"meterValue\"", StringComparison.Ordinal);
        yield return Frame(Payload(sv)).Replace("\"value\":\"7\"", "\"value\"\"7\"", StringComparison.Ordinal);
        yield return Frame(Payload(sv)).Replace("\"t\"", "\"t\\\"x\"", StringComparison.Ordinal);
        yield return Frame(Payload(sv)).Replace("\"t\"", "\"t\tx\"", StringComparison.Ordinal);
        yield return Frame(Payload(sv)).Replace("\"7\"", "\"7\n\"", StringComparison.Ordinal);
        yield return Frame(Payload(sv)).Replace("\"7\"", "\"\u00007\"", StringComparison.Ordinal);
        yield return Frame(Payload(sv)).Replace("\"MeterValues\"", "\"Meter\\u0056alues\"", StringComparison.Ordinal);
        yield return Frame(Payload(sv)).Replace("\"timestamp\"", "\"time\\u0073tamp\"", StringComparison.Ordinal);
        yield return Frame(Payload(sv)).Replace(",", "\u00a0,", StringComparison.Ordinal);
        yield return Frame(Payload(sv)).Replace(",", "\f,", StringComparison.Ordinal);
        yield return Frame(Payload(sv)).Replace(",", "\t,\r\n ", StringComparison.Ordinal);
        foreach (var connector in new[] { "-0", "-", "--1", "+1", "1-", "00", "0x1", "2147483647", "2147483648", "9223372036854775807", "9223372036854775808", "1 2", "true", "null", "\"1\"" })
            yield return Frame(Payload(sv)).Replace("\"connectorId\":1", "\"connectorId\":" + connector, StringComparison.Ordinal);
        foreach (var tx in new[] { "-9223372036854775808", "-9223372036854775809", "99999999999999999999", "-0", "1.", "1E2", "1e+2" })
            yield return Frame(Payload(sv, ",\"transactionId\":" + tx));
        yield return " \t\r\n" + Frame(Payload(sv)) + " \n";
        yield return "\uFEFF" + Frame(Payload(sv));
        yield return """[2,"t","MeterValues",{"connectorId":1,"meterValue":[]}]""";
        yield return """[2,"t","MeterValues",{"meterValue":[{"timestamp":"2024-05-01T10:00:00Z","sampledValue":[{"value":"1"}]}]}]""";
        yield return """[2,"t","MeterValues",{"connectorId":1,"meterValue":[{"timestamp":"2024-05-01T10:00:00Z","sampledValue":[]}]}]""";
        yield return """[2,"t","MeterValues",{"connectorId":1,"meterValue":[{"timestamp":"2024-05-01T10:00:00Z","sampledValue":[{"value":"1","unit":"W","measurand":"Power.Factor"}]}]}]""";
        yield return """[2,"t","MeterValues",{"connectorId":1,"meterValue":[{"timestamp":"2024-05-01T10:00:00Z","sampledValue":[{"value":"1","unit":"Celcius","measurand":"Temperature"}]}]}]""";
        yield return """[2,"t","MeterValues",{"connectorId":1,"meterValue":[{"timestamp":"2024-05-01T10:00:00Z","sampledValue":[{"value":"1","unit":"Wh","measurand":"Voltage"}]}]}]""";
        yield return """[2,"t","MeterValues",{"connectorId":1,"meterValue":[{"timestamp":"2024-05-01T10:00:00+14:00","sampledValue":[{"value":"1"}]}]}]""";
        yield return """[2,"t","MeterValues",{"connectorId":1,"meterValue":[{"timestamp":"0001-01-01T00:00:00Z","sampledValue":[{"value":"-0"}]}]}]""";
        yield return """[2,"","MeterValues",{"connectorId":1,"meterValue":[{"timestamp":"2024-05-01T10:00:00Z","sampledValue":[{"value":"1"}]}]}]""";
        // Timestamps at the edges of the form read digit by digit, and just outside it.
        foreach (var at in new[]
                 {
                     "2024-02-29T23:59:59.9999999+14:00", "2023-02-29T00:00:00Z", "2024-05-01T24:00:00Z", "2024-05-01T10:60:00Z",
                     "2024-05-01T10:00:60Z", "2024-05-01T10:00:00.Z", "2024-05-01T10:00:00.12345678Z", "2024-05-01T10:00:00+14:01",
                     "2024-05-01T10:00:00+15:00", "2024-05-01T10:00:00-00:00", "2024-05-01T10:00:00-12:30", "9999-12-31T23:59:59Z",
                     "0002-01-01T00:00:00+14:00", "2024-05-01t10:00:00z", "2024-05-01T10:00:00z", "2024-05-01T10:00:00 Z",
                     "2024-05-01T10:00:00+0200", "2024-05-01T10:00:00+02", "+2024-05-01T10:00:00Z", "2024-5-01T10:00:00Z", "２０２４-05-01T10:00:00Z",
                 })
            yield return $$"""[2,"t","MeterValues",{"connectorId":1,"meterValue":[{"timestamp":"{{at}}","sampledValue":[{"value":"1"}]}]}]""";
        var random = new Random(5);
        for (var i = 0; i < 500; i++)
        {
            var t = new DateTimeOffset(random.NextInt64(new DateTime(1900, 1, 1).Ticks, new DateTime(2200, 1, 1).Ticks), TimeSpan.FromMinutes(15 * random.Next(-56, 57)));
            var text = t.ToString(random.Next(3) switch { 0 => "yyyy-MM-dd'T'HH:mm:ssK", 1 => "yyyy-MM-dd'T'HH:mm:ss.fffK", _ => "yyyy-MM-dd'T'HH:mm:ss.fffffffK" }, CultureInfo.InvariantCulture);
            if (random.Next(2) == 0 && t.Offset == TimeSpan.Zero) text = text.Replace("+00:00", "Z", StringComparison.Ordinal);
            yield return $$"""[2,"t","MeterValues",{"connectorId":1,"meterValue":[{"timestamp":"{{text}}","sampledValue":[{"value":"1"}]}]}]""";
        }
    }
}
