using Cms.Core.Domain.MeterValues;
using Cms.Core.Resources;
using Cms.Ocpp.Framing;
using Cms.Ocpp.Schemas;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Cms.Ocpp.V16;

/// <summary>
/// A 1.6 MeterValues CALL read straight from its text into its parts, as they become a <see cref="MeterValuesRequest"/>:
/// no JSON tree, no second pass for the schema, none for the meter rules. MeterValues are most of a charger's traffic,
/// and the tree, its schema check and its conversion were a third of the host's CPU per message.
/// It reads only what is certainly valid: the frame [2, id, "MeterValues", {…}] and nothing after it; the schema
/// (MeterValues.req: the fields, their types, the required ones, the enums, taken from the schema itself, and a
/// date-time NJsonSchema certainly accepts); and the rules of the general path (a connector number, a transaction id
/// within 64 bits, 1–100 meter values of 1–50 samples, <see cref="BodyValidator.TryParseTime"/>,
/// <see cref="MeterValuesRequest.SampleOf"/>). Anything else (an unknown or repeated field, a number where a string
/// goes, a comment, a rule broken) is null, and the frame takes the general path, which gives the verdict and names
/// the problem. Thread-safe.
/// </summary>
public sealed class MeterValuesReader
{
    /// <summary>Each sampledValue field with an enum in the schema, and the enum.</summary>
    private readonly Dictionary<string, HashSet<string>> _enums = [];

    /// <summary>The element readers, made once (a method group passed on makes a delegate per call).</summary>
    private readonly Func<JsonTextReader, MeterValue?> _readMeterValue;
    private readonly Func<JsonTextReader, Sample?> _readSample;

    public MeterValuesReader(JObject schema)
    {
        _readMeterValue = ReadMeterValue;
        _readSample = ReadSample;
        var sample = schema.SelectToken("properties.meterValue.items.properties.sampledValue.items.properties") as JObject
            ?? throw new ArgumentException("not the 1.6 MeterValues request schema", nameof(schema));
        foreach (var field in sample.Properties())
            if (field.Value["enum"] is JArray values) _enums[field.Name] = values.Select(v => (string)v!).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>What the frame says: its message id, the connector number, the transaction id and the meter values.</summary>
    public sealed record Call(string MessageId, int ConnectorId, long? TransactionId, List<MeterValue> MeterValues);

    public Call? TryRead(string text)
    {
        try
        {
            using var json = OcppFrameParser.Reader(text, FloatParseHandling.Double);
            if (!Next(json, JsonToken.StartArray) || !Next(json, JsonToken.Integer) || json.Value is not 2L
                || !Next(json, JsonToken.String) || json.Value is not string messageId
                || !Next(json, JsonToken.String) || json.Value is not "MeterValues"
                || !Next(json, JsonToken.StartObject) || ReadPayload(json, messageId) is not { } call
                || !Next(json, JsonToken.EndArray) || json.Read())
                return null;
            return call;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool Next(JsonTextReader json, JsonToken expected) => json.Read() && json.TokenType == expected;

    /// <summary>An array of 1 to <paramref name="max"/> objects, each read by <paramref name="item"/>; null if it is not
    /// certainly valid.</summary>
    private static List<T>? ReadObjects<T>(JsonTextReader json, int max, Func<JsonTextReader, T?> item) where T : class
    {
        if (!Next(json, JsonToken.StartArray)) return null;
        var list = new List<T>();
        while (Next(json, JsonToken.StartObject))
        {
            if (list.Count == max || item(json) is not { } one) return null;
            list.Add(one);
        }
        return json.TokenType == JsonToken.EndArray && list.Count > 0 ? list : null;
    }

    /// <summary>The payload object, its start read.</summary>
    private Call? ReadPayload(JsonTextReader json, string messageId)
    {
        long? connector = null, transaction = null;
        List<MeterValue>? meterValues = null;
        while (Next(json, JsonToken.PropertyName))
        {
            switch ((string)json.Value!)
            {
                case "connectorId" when connector is null:
                    if (!Next(json, JsonToken.Integer) || json.Value is not long c || c < 0 || c > int.MaxValue) return null;
                    connector = c;
                    break;
                case "transactionId" when transaction is null:
                    if (!Next(json, JsonToken.Integer) || json.Value is not long t) return null;
                    transaction = t;
                    break;
                case "meterValue" when meterValues is null:
                    meterValues = ReadObjects(json, MeterValuesRequest.MaxMeterValues, _readMeterValue);
                    if (meterValues is null) return null;
                    break;
                default:
                    return null;
            }
        }
        if (json.TokenType != JsonToken.EndObject || connector is null || meterValues is null) return null;
        return new Call(messageId, (int)connector, transaction, meterValues);
    }

    /// <summary>One meterValue element, its start read.</summary>
    private MeterValue? ReadMeterValue(JsonTextReader json)
    {
        DateTimeOffset? timestamp = null;
        List<Sample>? samples = null;
        while (Next(json, JsonToken.PropertyName))
        {
            switch ((string)json.Value!)
            {
                case "timestamp" when timestamp is null:
                    if (!Next(json, JsonToken.String) || json.Value is not string text) return null;
                    if (!TryReadTime(text, out var at) && !(FastSchemaCheck.IsDateTime(text) && BodyValidator.TryParseTime(text, out at))) return null;
                    timestamp = at;
                    break;
                case "sampledValue" when samples is null:
                    samples = ReadObjects(json, MeterValuesRequest.MaxSamples, _readSample);
                    if (samples is null) return null;
                    break;
                default:
                    return null;
            }
        }
        return json.TokenType == JsonToken.EndObject && timestamp is { } t && samples is not null ? new MeterValue(t, samples) : null;
    }

    /// <summary>
    /// The form chargers send, read digit by digit: yyyy-MM-ddTHH:mm:ss, 1–7 fractional digits or none, then Z or
    /// ±HH:mm. Any of it is a date-time NJsonSchema accepts and <see cref="BodyValidator.TryParseTime"/> reads as this
    /// instant; anything else (or a year at the edge of the calendar) is false and goes through those two checks.
    /// </summary>
    private static bool TryReadTime(string text, out DateTimeOffset at)
    {
        at = default;
        var n = text.Length;
        if (n < 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':') return false;
        if (!Iso.Number(text, 0, 4, out var year) || !Iso.Number(text, 5, 2, out var month) || !Iso.Number(text, 8, 2, out var day)
            || !Iso.Number(text, 11, 2, out var hour) || !Iso.Number(text, 14, 2, out var minute) || !Iso.Number(text, 17, 2, out var second)) return false;
        if (year is < 2 or > 9998 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 59) return false;
        var i = 19;
        long fraction = 0;
        if (text[i] == '.')
        {
            var digits = 0;
            for (i++; i < n && char.IsAsciiDigit(text[i]); i++, digits++) fraction = fraction * 10 + (text[i] - '0');
            if (digits is < 1 or > 7) return false;
            for (; digits < 7; digits++) fraction *= 10;
        }
        TimeSpan offset;
        if (i == n - 1 && text[i] == 'Z') offset = TimeSpan.Zero;
        else if (i == n - 6 && text[i] is '+' or '-' && text[i + 3] == ':' && Iso.Number(text, i + 1, 2, out var oh) && Iso.Number(text, i + 4, 2, out var om)
                 && oh <= 14 && om <= 59 && (oh < 14 || om == 0))
            offset = new TimeSpan(oh, om, 0) * (text[i] == '-' ? -1 : 1);
        else return false;
        at = new DateTimeOffset(new DateTime(year, month, day, hour, minute, second).AddTicks(fraction), offset).ToUniversalTime();
        return true;
    }

    /// <summary>One sampledValue, its start read: strings only, each enumerated one in the schema's enum.</summary>
    private Sample? ReadSample(JsonTextReader json)
    {
        string? value = null, context = null, format = null, measurand = null, phase = null, location = null, unit = null;
        while (Next(json, JsonToken.PropertyName))
        {
            var name = (string)json.Value!;
            if (!Next(json, JsonToken.String)) return null;
            var text = (string)json.Value!;
            if (_enums.TryGetValue(name, out var allowed) && !allowed.Contains(text)) return null;
            switch (name)
            {
                case "value" when value is null: value = text; break;
                case "context" when context is null: context = text; break;
                case "format" when format is null: format = text; break;
                case "measurand" when measurand is null: measurand = text; break;
                case "phase" when phase is null: phase = text; break;
                case "location" when location is null: location = text; break;
                case "unit" when unit is null: unit = text; break;
                default: return null;
            }
        }
        if (json.TokenType != JsonToken.EndObject || value is null) return null;
        return MeterValuesRequest.SampleOf(value, measurand, context, format, location, phase, unit);
    }
}
