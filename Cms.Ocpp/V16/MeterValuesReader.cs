using Cms.Core.Domain.MeterValues;
using Cms.Core.Resources;
using Cms.Ocpp.Framing;
using Cms.Ocpp.Schemas;
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
/// the problem. The text is read by <see cref="JsonScanner"/> (standard JSON, no escapes: anything else goes the general way
/// too), so nothing but the message id becomes a string: names are compared and enumerated values looked up as spans.
/// Thread-safe.
/// </summary>
public sealed class MeterValuesReader
{
    /// <summary>Each sampledValue field with an enum in the schema, and the enum, both looked up by span.</summary>
    private readonly Dictionary<string, HashSet<string>.AlternateLookup<ReadOnlySpan<char>>>.AlternateLookup<ReadOnlySpan<char>> _enums;

    /// <summary>The element readers, made once (a method group passed on makes a delegate per call).</summary>
    private readonly ElementReader<MeterValue> _readMeterValue;
    private readonly ElementReader<Sample> _readSample;

    public MeterValuesReader(JObject schema)
    {
        _readMeterValue = ReadMeterValue;
        _readSample = ReadSample;
        var enums = new Dictionary<string, HashSet<string>.AlternateLookup<ReadOnlySpan<char>>>(StringComparer.Ordinal);
        var sample = schema.SelectToken("properties.meterValue.items.properties.sampledValue.items.properties") as JObject
            ?? throw new ArgumentException("not the 1.6 MeterValues request schema", nameof(schema));
        foreach (var field in sample.Properties())
            if (field.Value["enum"] is JArray values)
                enums[field.Name] = values.Select(v => (string)v!).ToHashSet(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
        _enums = enums.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>What the frame says: its message id, the connector number, the transaction id and the meter values.</summary>
    public sealed record Call(string MessageId, int ConnectorId, long? TransactionId, List<MeterValue> MeterValues);

    public Call? TryRead(string text)
    {
        var json = new JsonScanner(text);
        if (!json.Take('[') || !json.Integer(out var type) || type != 2
            || !json.Take(',') || !json.String(out var messageId)
            || !json.Take(',') || !json.String(out var action) || !action.SequenceEqual("MeterValues")
            || !json.Take(',') || ReadPayload(ref json, messageId) is not { } call
            || !json.Take(']') || !json.End())
            return null;
        return call;
    }

    /// <summary>The fields of an object, its brace read: true after each name and its colon, false at the closing brace
    /// (<paramref name="closed"/>) or at anything else.</summary>
    private static bool NextField(ref JsonScanner json, ref bool first, out ReadOnlySpan<char> name, out bool closed)
    {
        name = default;
        if (!Separated(ref json, ref first, '}', out closed)) return false;
        return json.String(out name) && json.Take(':');
    }

    /// <summary>Before each element of an array of objects, its bracket read: true once the element's brace is read, false
    /// at the closing bracket (<paramref name="closed"/>) or at anything else.</summary>
    private static bool NextObject(ref JsonScanner json, ref bool first, out bool closed) =>
        Separated(ref json, ref first, ']', out closed) && json.Take('{');

    /// <summary>Before a member of an object or an array: true where one may follow (the first, or after a comma), false
    /// at the <paramref name="close"/> character that ends it (<paramref name="closed"/>) or at anything else.</summary>
    private static bool Separated(ref JsonScanner json, ref bool first, char close, out bool closed)
    {
        closed = false;
        if (first)
        {
            first = false;
            closed = json.Take(close);
            return !closed;
        }
        if (json.Take(',')) return true;
        closed = json.Take(close);
        return false;
    }

    /// <summary>The payload object.</summary>
    private Call? ReadPayload(ref JsonScanner json, ReadOnlySpan<char> messageId)
    {
        if (!json.Take('{')) return null;
        long? connector = null, transaction = null;
        List<MeterValue>? meterValues = null;
        bool first = true, closed;
        while (NextField(ref json, ref first, out var name, out closed))
        {
            if (name.SequenceEqual("connectorId") && connector is null)
            {
                if (!json.Integer(out var c) || c < 0 || c > int.MaxValue) return null;
                connector = c;
            }
            else if (name.SequenceEqual("transactionId") && transaction is null)
            {
                if (!json.Integer(out var t)) return null;
                transaction = t;
            }
            else if (name.SequenceEqual("meterValue") && meterValues is null)
            {
                if ((meterValues = ReadObjects(ref json, MeterValuesRequest.MaxMeterValues, _readMeterValue, 1)) is null) return null;
            }
            else return null;
        }
        if (!closed || connector is null || meterValues is null) return null;
        return new Call(messageId.ToString(), (int)connector, transaction, meterValues);
    }

    /// <summary>Reads one element of an array of objects, its brace read; null if it is not certainly valid.</summary>
    private delegate T? ElementReader<T>(ref JsonScanner json) where T : class;

    /// <summary>An array of 1 to <paramref name="max"/> objects, each read by <paramref name="element"/>; null if it is
    /// not certainly valid.</summary>
    private static List<T>? ReadObjects<T>(ref JsonScanner json, int max, ElementReader<T> element, int capacity) where T : class
    {
        if (!json.Take('[')) return null;
        var list = new List<T>(capacity);
        bool first = true, closed;
        while (NextObject(ref json, ref first, out closed))
        {
            if (list.Count == max || element(ref json) is not { } one) return null;
            list.Add(one);
        }
        return closed && list.Count > 0 ? list : null;
    }

    /// <summary>One meterValue element, its brace read.</summary>
    private MeterValue? ReadMeterValue(ref JsonScanner json)
    {
        DateTimeOffset? timestamp = null;
        List<Sample>? samples = null;
        bool first = true, closed;
        while (NextField(ref json, ref first, out var name, out closed))
        {
            if (name.SequenceEqual("timestamp") && timestamp is null)
            {
                if (!json.String(out var text)) return null;
                if (!TryReadTime(text, out var at) && !(FastSchemaCheck.IsDateTime(text.ToString()) && BodyValidator.TryParseTime(text.ToString(), out at))) return null;
                timestamp = at;
            }
            else if (name.SequenceEqual("sampledValue") && samples is null)
            {
                if ((samples = ReadObjects(ref json, MeterValuesRequest.MaxSamples, _readSample, 4)) is null) return null;
            }
            else return null;
        }
        return closed && timestamp is { } t && samples is not null ? new MeterValue(t, samples) : null;
    }

    /// <summary>
    /// The form chargers send, read digit by digit: yyyy-MM-ddTHH:mm:ss, 1–7 fractional digits or none, then Z or
    /// ±HH:mm. Any of it is a date-time NJsonSchema accepts and <see cref="BodyValidator.TryParseTime"/> reads as this
    /// instant; anything else (or a year at the edge of the calendar) is false and goes through those two checks.
    /// </summary>
    private static bool TryReadTime(ReadOnlySpan<char> text, out DateTimeOffset at)
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

    /// <summary>One sampledValue, its brace read: strings only, each enumerated one in the schema's enum (and then the
    /// enum's own string: nothing is made of the text).</summary>
    private Sample? ReadSample(ref JsonScanner json)
    {
        ReadOnlySpan<char> value = default;
        bool hasValue = false, first = true, closed;
        string? context = null, format = null, measurand = null, phase = null, location = null, unit = null;
        while (NextField(ref json, ref first, out var name, out closed))
        {
            if (!json.String(out var text)) return null;
            if (name.SequenceEqual("value") && !hasValue)
            {
                value = text;
                hasValue = true;
                continue;
            }
            if (!_enums.TryGetValue(name, out var key, out var allowed)
                || !allowed.TryGetValue(text, out var known)) return null;
            switch (key)
            {
                case "context" when context is null: context = known; break;
                case "format" when format is null: format = known; break;
                case "measurand" when measurand is null: measurand = known; break;
                case "phase" when phase is null: phase = known; break;
                case "location" when location is null: location = known; break;
                case "unit" when unit is null: unit = known; break;
                default: return null;
            }
        }
        if (!closed || !hasValue) return null;
        return MeterValuesRequest.SampleOf(value, measurand, context, format, location, phase, unit);
    }
}
