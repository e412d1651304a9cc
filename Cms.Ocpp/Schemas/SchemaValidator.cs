using System.Collections.Concurrent;
using System.Reflection;
using Newtonsoft.Json.Linq;
using NJsonSchema;

namespace Cms.Ocpp.Schemas;

/// <summary>
/// Validates payloads against the official schemas embedded from ../schemas. Each schema is
/// compiled on first use and cached; thread-safe, register as a singleton.
/// </summary>
public sealed class SchemaValidator
{
    /// <summary>Each version's and kind's schemas by action: string keys, which a dictionary hashes without a per-lookup
    /// randomized hash (a tuple key hashed the action with Marvin on every frame in and out: 2–3 % of the socket thread).</summary>
    readonly Dictionary<string, string>[] _resources =
        [.. Enumerable.Range(0, Enum.GetValues<OcppVersion>().Length * Kinds).Select(_ => new Dictionary<string, string>())];
    static readonly int Kinds = Enum.GetValues<SchemaKind>().Length;
    readonly ConcurrentDictionary<string, Lazy<JsonSchema>> _compiled = new();
    /// <summary>Each schema's fast "certainly valid" check (<see cref="FastSchemaCheck"/>); null where it cannot be compiled.</summary>
    readonly ConcurrentDictionary<string, Lazy<Func<JToken, bool>?>> _fast = new();
    readonly Assembly _assembly = typeof(SchemaValidator).Assembly;
    /// <summary>Verdicts on small flat payloads, by their text: most of them repeat verbatim ({"status":"Accepted"}).</summary>
    readonly ConcurrentDictionary<string, SchemaValidationResult> _smallVerdicts = new();
    /// <summary>Verdicts on the empty payload {}, by schema.</summary>
    readonly ConcurrentDictionary<string, SchemaValidationResult> _emptyVerdicts = new();
    const int SmallPayloadProperties = 3, SmallVerdictsKept = 4096;

    public SchemaValidator()
    {
        foreach (var name in _assembly.GetManifestResourceNames())
            if (TryParseResourceName(name, out var key))
                Resources(key.Item1, key.Item3)[key.Item2] = name;
    }

    /// <summary>True when the version defines this action (in either direction).</summary>
    public bool IsKnownAction(OcppVersion version, string action) =>
        Resources(version, SchemaKind.Request).ContainsKey(action);

    public IEnumerable<string> Actions(OcppVersion version) => Resources(version, SchemaKind.Request).Keys.Order();

    Dictionary<string, string> Resources(OcppVersion version, SchemaKind kind) => _resources[(int)version * Kinds + (int)kind];

    public SchemaValidationResult Validate(OcppVersion version, string action, SchemaKind kind, JObject payload)
    {
        if (!Resources(version, kind).TryGetValue(action, out var resource))
            return SchemaValidationResult.Invalid(OcppErrorCode.NotImplemented,
                $"Action '{action}' is not defined in {version.ToSubprotocol()}");

        // An empty payload (most answers to chargers: MeterValues, StatusNotification) has one verdict per schema.
        // (No lambda here: one capturing the parameters would allocate its closure on every call.)
        if (payload.Count == 0)
        {
            if (!_emptyVerdicts.TryGetValue(resource, out var empty))
                _emptyVerdicts[resource] = empty = ValidateWithSchema(resource, action, kind, payload);
            return empty;
        }
        // NJsonSchema allocates a good deal per call; a delivery run validates one answer per charger, nearly all the same.
        var key = IsSmallAndFlat(payload) ? $"{resource}|{payload.ToString(Newtonsoft.Json.Formatting.None)}" : null;
        if (key is not null && _smallVerdicts.TryGetValue(key, out var known))
            return known;
        var verdict = ValidateWithSchema(resource, action, kind, payload);
        if (key is not null && _smallVerdicts.Count < SmallVerdictsKept)
            _smallVerdicts.TryAdd(key, verdict);
        return verdict;
    }

    static bool IsSmallAndFlat(JObject payload) =>
        payload.Count <= SmallPayloadProperties && payload.Properties().All(p => p.Value is JValue);

    SchemaValidationResult ValidateWithSchema(string resource, string action, SchemaKind kind, JObject payload)
    {
        // Valid payloads (nearly all) are answered by the compiled check; the rest get NJsonSchema's verdict and error.
        var fast = _fast.GetOrAdd(resource, r => new Lazy<Func<JToken, bool>?>(() => FastSchemaCheck.TryCompile(JObject.Parse(Read(r))))).Value;
        if (fast is not null && fast(payload))
            return SchemaValidationResult.Valid;
        var schema = _compiled.GetOrAdd(resource, r => new Lazy<JsonSchema>(() => Load(r))).Value;
        ICollection<NJsonSchema.Validation.ValidationError> errors;
        try
        {
            errors = schema.Validate(payload);
        }
        catch (Exception e) when (e is OverflowException or InvalidCastException or FormatException or ArgumentException)
        {
            // NJsonSchema converts numbers as it checks them: one beyond decimal (1e400, 33 digits) throws.
            return SchemaValidationResult.Invalid(OcppErrorCode.TypeConstraintViolation, $"{action} {kind.ToString().ToLowerInvariant()}: a value is out of range ({e.GetType().Name})");
        }
        if (errors.Count == 0)
            return SchemaValidationResult.Valid;

        var leaf = SchemaErrorMapper.Leaf(errors.First());
        var path = SchemaErrorMapper.PathOf(leaf);
        return SchemaValidationResult.Invalid(SchemaErrorMapper.Map(leaf.Kind),
            $"{action} {kind.ToString().ToLowerInvariant()}: {leaf.Kind} at {path}", path);
    }

    /// <summary>The official schema document itself (for a reader that checks as it reads, <see cref="V16.MeterValuesReader"/>).</summary>
    public JObject Schema(OcppVersion version, string action, SchemaKind kind) => JObject.Parse(Read(Resources(version, kind)[action]));

    // No sync context under Kestrel or xunit, so blocking once per schema is safe.
    JsonSchema Load(string resource) => JsonSchema.FromJsonAsync(Read(resource)).GetAwaiter().GetResult();

    string Read(string resource)
    {
        using var stream = _assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>
    /// Resource names follow the source files: 1.6 "Schemas/ocpp1.6/Authorize.req.json" (.conf = response),
    /// 2.0.1 "Schemas/ocpp2.0.1/AuthorizeRequest.json" / "AuthorizeResponse.json".
    /// </summary>
    static bool TryParseResourceName(string name, out (OcppVersion, string, SchemaKind) key)
    {
        key = default;
        if (name.StartsWith("Schemas/ocpp1.6/", StringComparison.Ordinal))
        {
            var file = name["Schemas/ocpp1.6/".Length..];
            if (file.EndsWith(".req.json", StringComparison.Ordinal))
                key = (OcppVersion.Ocpp16, file[..^".req.json".Length], SchemaKind.Request);
            else if (file.EndsWith(".conf.json", StringComparison.Ordinal))
                key = (OcppVersion.Ocpp16, file[..^".conf.json".Length], SchemaKind.Response);
            else
                return false;
            return true;
        }
        if (name.StartsWith("Schemas/ocpp2.0.1/", StringComparison.Ordinal))
        {
            var file = name["Schemas/ocpp2.0.1/".Length..];
            if (file.EndsWith("Request.json", StringComparison.Ordinal))
                key = (OcppVersion.Ocpp201, file[..^"Request.json".Length], SchemaKind.Request);
            else if (file.EndsWith("Response.json", StringComparison.Ordinal))
                key = (OcppVersion.Ocpp201, file[..^"Response.json".Length], SchemaKind.Response);
            else
                return false;
            return true;
        }
        return false;
    }
}
