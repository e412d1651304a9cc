using System.Globalization;
using Cms.Core.Resources;
using Newtonsoft.Json.Linq;

namespace Cms.Core.Domain.MeterValues;

/// <summary>One sampled value, with OCPP's defaults filled in.</summary>
public sealed record Sample(double Value, string Measurand, string? Phase, string? Unit, string Context, string Format, string Location);

/// <summary>One meter value: the samples taken at one moment.</summary>
public sealed record MeterValue(DateTimeOffset Timestamp, IReadOnlyList<Sample> Samples);

/// <summary>The body of POST /v2/meter_values, validated: every bad field is named by its path (meterValues[2].sampledValue[0].unit).</summary>
public sealed record MeterValuesRequest(string? ChargePointId, string? Connector, string? VehicleId, long? TransactionId,
    IReadOnlyList<MeterValue> MeterValues)
{
    public const int MaxMeterValues = 100;
    public const int MaxSamples = 50;

    /// <summary>The top level of POST /v2/meter_values/ (meterValues holds the OCPP-style readings).</summary>
    public static readonly FieldSpec[] TopFields =
    [
        F.Id("chargePointId"),
        F.Str("connectorId", 64) with { AcceptNumberAsString = true },
        F.Id("vehicleId"),
        F.Int("transactionId"),
        new FieldSpec("meterValues", FieldType.Json) { Required = true, Nullable = false },
    ];

    /// <summary>Every measurand Core knows (a unit list each): made once, checked for every sample.</summary>
    private static readonly string[] MeasurandNames = [.. Measurands.Units.Keys];

    private static readonly string[] SampleKeys = ["value", "context", "format", "measurand", "phase", "location", "unit"];

    public static MeterValuesRequest Parse(JToken? body)
    {
        // Top-level and nested problems are reported together, so one answer names every bad field.
        var errors = new Dictionary<string, string>();
        Dictionary<string, object?> top;
        try
        {
            top = BodyValidator.Validate(body, TopFields, isCreate: true);
        }
        catch (ApiFailure failure) when (body is JObject obj)
        {
            foreach (var (field, why) in failure.Errors) errors[field] = why;
            top = new Dictionary<string, object?> { ["meterValues"] = errors.ContainsKey("meterValues") ? null : obj["meterValues"] };
        }
        var chargePointId = top.GetValueOrDefault("chargePointId") as string;
        var connector = top.GetValueOrDefault("connectorId") as string;
        var vehicleId = top.GetValueOrDefault("vehicleId") as string;
        if (errors.ContainsKey("chargePointId") || errors.ContainsKey("connectorId") || errors.ContainsKey("vehicleId")) { }
        else if (chargePointId is null != connector is null)
            errors[chargePointId is null ? "chargePointId" : "connectorId"] = "chargePointId and connectorId are required together";
        else if (chargePointId is null && vehicleId is null)
            errors["chargePointId"] = "either chargePointId and connectorId, or vehicleId, is required";

        var meterValues = errors.ContainsKey("meterValues") ? [] : ParseMeterValues(top["meterValues"] as JToken, "meterValues", errors);
        if (errors.Count > 0) throw new ApiFailure(400, errors);
        return new MeterValuesRequest(chargePointId, connector, vehicleId, top.GetValueOrDefault("transactionId") as long?, meterValues);
    }

    /// <summary>
    /// A charger's MeterValues (the OCPP 1.6 meterValue array, the same shape REST takes) as the same command, under the
    /// same rules; a bad field is named by its path in the charger's payload (meterValue[0].sampledValue[1].unit).
    /// </summary>
    public static MeterValuesRequest FromCharger(string chargePointId, int connectorNumber, long? transactionId, JToken meterValue,
        string field = "meterValue")
    {
        var errors = new Dictionary<string, string>();
        var meterValues = ParseMeterValues(meterValue, field, errors);
        if (errors.Count > 0) throw new ApiFailure(400, errors);
        return new MeterValuesRequest(chargePointId, connectorNumber.ToString(CultureInfo.InvariantCulture), null, transactionId, meterValues);
    }

    private static List<MeterValue> ParseMeterValues(JToken? token, string field, Dictionary<string, string> errors)
    {
        var meterValues = new List<MeterValue>();
        if (token is not JArray array) errors[field] = "must be an array";
        else if (array.Count == 0) errors[field] = "must contain at least one meter value";
        else if (array.Count > MaxMeterValues) errors[field] = $"must contain at most {MaxMeterValues} meter values (got {array.Count})";
        else
            for (var i = 0; i < array.Count; i++)
                if (ParseMeterValue(array[i], $"{field}[{i}]", errors) is { } mv) meterValues.Add(mv);
        return meterValues;
    }

    private static MeterValue? ParseMeterValue(JToken token, string path, Dictionary<string, string> errors)
    {
        if (token is not JObject obj) { errors[path] = "must be an object"; return null; }
        foreach (var prop in obj.Properties().Where(p => p.Name is not ("timestamp" or "sampledValue")))
            errors[$"{path}.{prop.Name}"] = "unknown field";

        DateTimeOffset? timestamp = null;
        var ts = obj["timestamp"];
        if (ts is null || ts.Type == JTokenType.Null) errors[$"{path}.timestamp"] = "is required";
        else if (ts.Type == JTokenType.Date) timestamp = ((DateTimeOffset)ts!).ToUniversalTime();
        else if (ts.Type != JTokenType.String || !BodyValidator.TryParseTime((string)ts!, out var t))
            errors[$"{path}.timestamp"] = "must be an ISO 8601 date-time";
        else timestamp = t;

        var samples = new List<Sample>();
        var sv = obj["sampledValue"];
        if (sv is null || sv.Type == JTokenType.Null) errors[$"{path}.sampledValue"] = "is required";
        else if (sv is not JArray list) errors[$"{path}.sampledValue"] = "must be an array";
        else if (list.Count == 0) errors[$"{path}.sampledValue"] = "must contain at least one sampled value";
        else if (list.Count > MaxSamples) errors[$"{path}.sampledValue"] = $"must contain at most {MaxSamples} sampled values (got {list.Count})";
        else
            for (var j = 0; j < list.Count; j++)
                if (ParseSample(list[j], $"{path}.sampledValue[{j}]", errors) is { } s) samples.Add(s);

        return timestamp is { } at && samples.Count == (sv as JArray)?.Count ? new MeterValue(at, samples) : null;
    }

    private static Sample? ParseSample(JToken token, string path, Dictionary<string, string> errors)
    {
        if (token is not JObject obj) { errors[path] = "must be an object"; return null; }
        var before = errors.Count;
        foreach (var prop in obj.Properties().Where(p => !SampleKeys.Contains(p.Name)))
            errors[$"{path}.{prop.Name}"] = "unknown field";

        double? value = null;
        var raw = obj["value"];
        if (raw is null || raw.Type == JTokenType.Null) errors[$"{path}.value"] = "is required";
        else if (ParseValue(raw) is { } v) value = v;
        else errors[$"{path}.value"] = "must be a finite number or a numeric string";

        var sample = Build(value, Text(obj, "measurand", path, errors), Text(obj, "context", path, errors), Text(obj, "format", path, errors),
            Text(obj, "location", path, errors), Text(obj, "phase", path, errors), Text(obj, "unit", path, errors),
            unitGiven: obj["unit"] is { Type: not JTokenType.Null }, path, errors);
        return errors.Count == before ? sample : null;
    }

    /// <summary>
    /// The sample a charger's sampledValue makes when its value reads as a number and every other field present is a
    /// string (what <c>V16.MeterValuesReader</c> hands on); null when a rule below rejects it. The same rules as a
    /// payload read whole, so both readers accept the same samples.
    /// </summary>
    public static Sample? SampleOf(ReadOnlySpan<char> value, string? measurand, string? context, string? format, string? location, string? phase,
        string? unit) =>
        ParseValue(value) is { } v ? Build(v, measurand, context, format, location, phase, unit, unitGiven: unit is not null, "", errors: null) : null;

    /// <summary>
    /// The rules on a sample's enumerated fields, with OCPP's defaults. Each problem is added to <paramref name="errors"/>
    /// by its path; without it, the first problem ends the check (null).
    /// </summary>
    private static Sample? Build(double? value, string? measurand, string? context, string? format, string? location, string? phase,
        string? unit, bool unitGiven, string path, Dictionary<string, string>? errors)
    {
        var ok = true;
        // "for" names the measurand a unit is checked for (the text is made only for an error).
        string? OneOf(string name, string? given, string[] allowed, string? @for = null)
        {
            if (given is null || allowed.Contains(given)) return given;
            if (allowed.Length > 0)
            {
                ok = false;
                if (errors is not null)
                    errors[$"{path}.{name}"] = "must be one of " + string.Join(", ", allowed.Select(a => $"'{a}'")) + (@for is null ? "" : " for " + @for);
            }
            return null;
        }

        var m = OneOf("measurand", measurand, MeasurandNames) ?? Measurands.DefaultMeasurand;
        var c = OneOf("context", context, Measurands.Contexts) ?? Measurands.DefaultContext;
        var f = OneOf("format", format, Measurands.Formats) ?? Measurands.DefaultFormat;
        var l = OneOf("location", location, Measurands.Locations) ?? Measurands.DefaultLocation;
        var p = OneOf("phase", phase, Measurands.Phases);
        if (errors is null && !ok) return null;

        string? u = null;
        if (Measurands.Units.TryGetValue(m, out var units))
        {
            u = OneOf("unit", unit, units, m);
            if (units.Length == 0 && unitGiven)
            {
                ok = false;
                if (errors is not null) errors[$"{path}.unit"] = $"must be absent: {m} has no unit";
            }
            u ??= units.FirstOrDefault();
        }
        return ok && value is { } v ? new Sample(v, m, p, u, c, f, l) : null;
    }

    /// <summary>A field that must be a string when present: null when absent, null, or not a string (then an error).</summary>
    private static string? Text(JObject obj, string name, string path, Dictionary<string, string> errors)
    {
        var token = obj[name];
        if (token is null || token.Type == JTokenType.Null) return null;
        if (token.Type == JTokenType.String) return (string)token!;
        errors[$"{path}.{name}"] = "must be a string";
        return null;
    }

    /// <summary>OCPP sends values as strings ("56790"); the spec's samples send numbers. Both are accepted.</summary>
    public static double? ParseValue(JToken token) =>
        token.Type is JTokenType.Integer or JTokenType.Float ? Finite((double)token)
        : token.Type == JTokenType.String ? ParseValue(((string)token!).AsSpan())
        : null;

    private static double? ParseValue(ReadOnlySpan<char> text) =>
        double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? Finite(v) : null;

    private static double? Finite(double v) => double.IsFinite(v) ? v : null;
}
