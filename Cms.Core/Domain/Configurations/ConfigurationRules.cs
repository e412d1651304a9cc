using Cms.Core.Resources;
using Newtonsoft.Json.Linq;

namespace Cms.Core.Domain.Configurations;

/// <summary>
/// What each level's configuration may hold, how a merged body is checked and reduced to what is stored, and how a
/// stored body is rendered with its defaults. The spec types the body as "Any JSON-serializable object"; we fix the
/// top-level keys of each level (so a typo is a 400, not a silently ignored setting) and leave free-form only the
/// parts the spec leaves open: <c>integrations</c> (partner credentials), <c>chargingRules</c> and the contents of
/// <c>alertOptions</c>. A null value resets a key to its default (JSON merge patch).
/// </summary>
public static class ConfigurationRules
{
    public static readonly IReadOnlyDictionary<string, string[]> Keys = new Dictionary<string, string[]>
    {
        [ConfigurationTarget.Customer] = ["deliveryOptions", "integrations", "ampCmsOptions"],
        [ConfigurationTarget.Network] = ["alerts", "idTagPriority", "integrations", "deliveryOptions", "chargingRules", "alertOptions"],
        [ConfigurationTarget.ChargePoint] = ["deliveryOptions"],
        [ConfigurationTarget.User] = ["notificationChannels"],
    };

    private static readonly string[] ServerFields = ["id", "created", "updated", .. ConfigurationTarget.Levels];

    /// <summary>Top-level keys of a request body: each must belong to the level.</summary>
    public static void CheckKeys(string level, JObject body)
    {
        foreach (var (key, _) in body)
        {
            if (ServerFields.Contains(key)) throw ApiFailure.Invalid(key, "is set by the server");
            if (!Keys[level].Contains(key))
                throw ApiFailure.Invalid(key, $"unknown field for a {level} configuration; allowed: {string.Join(", ", Keys[level])}");
        }
    }

    // ---- customer -------------------------------------------------------------------------------------------

    /// <summary>
    /// Checks a merged customer body and returns what to store: custom presets with completed settings, the
    /// selections, integrations. Built-in presets may be sent back unchanged (a GET round trip) but not altered.
    /// <c>isDefault: true</c> on a preset selects it, as setting <c>deliveryOptions.&lt;purpose&gt;</c> does.
    /// </summary>
    public static JObject NormalizeCustomer(JObject merged, JObject patch, JObject currentAmpCmsOptions)
    {
        var stored = new JObject();
        if (patch["ampCmsOptions"] is { } amp && !JToken.DeepEquals(amp, currentAmpCmsOptions))
            throw ApiFailure.Invalid("ampCmsOptions", "is read-only here; change it with /v2/configurations/ocpp_settings");
        if (merged["integrations"] is { } integrations)
            stored["integrations"] = RequireObject(integrations, "integrations");
        if (merged["deliveryOptions"] is not { } delivery) return stored;

        var options = RequireObject(delivery, "deliveryOptions");
        foreach (var (key, _) in options)
            if (key is not ("presets" or DeliveryPresets.TxProfile or DeliveryPresets.TxDefaultProfile))
                throw ApiFailure.Invalid($"deliveryOptions.{key}", "unknown field; allowed: presets, TxProfile, TxDefaultProfile");
        var presets = options["presets"] is { } p ? RequireObject(p, "deliveryOptions.presets") : new JObject();
        foreach (var (key, _) in presets)
            if (!DeliveryPresets.Purposes.Contains(key))
                throw ApiFailure.Invalid($"deliveryOptions.presets.{key}", "unknown preset purpose; allowed: TxProfile, TxDefaultProfile");

        var storedOptions = new JObject();
        var storedPresets = new JObject();
        foreach (var purpose in DeliveryPresets.Purposes)
        {
            var bucketPath = $"deliveryOptions.presets.{purpose}";
            var bucket = presets[purpose] is { } b ? RequireObject(b, bucketPath) : new JObject();
            var builtIn = DeliveryPresets.BuiltIn(purpose);
            var custom = new JObject();
            var chosen = new List<string>();
            var declined = new List<string>();
            foreach (var (name, value) in bucket)
            {
                var path = $"{bucketPath}.{name}";
                if (name.Trim().Length == 0 || name.Length > 128) throw ApiFailure.Invalid(path, "a preset name must have 1 to 128 characters");
                var preset = RequireObject(value!, path);
                foreach (var (key, _) in preset)
                    if (key is not ("settings" or "isDefault")) throw ApiFailure.Invalid($"{path}.{key}", "unknown field; allowed: settings, isDefault");
                if (preset["isDefault"] is { } isDefault)
                {
                    if (isDefault.Type != JTokenType.Boolean) throw ApiFailure.Invalid($"{path}.isDefault", "must be a boolean");
                    (isDefault.Value<bool>() ? chosen : declined).Add(name);
                }
                var (settings, field, reason) = DeliveryPresets.Complete(purpose, preset["settings"] ?? new JObject(), $"{path}.settings",
                    builtIn[name] as JObject);
                if (field is not null) throw ApiFailure.Invalid(field, reason!);
                if (builtIn[name] is { } original)
                {
                    if (!JToken.DeepEquals(original, settings))
                        throw ApiFailure.Invalid($"{path}.settings", "a built-in preset cannot be changed; add a preset under a new name");
                    continue;
                }
                custom[name] = new JObject { ["settings"] = settings };
            }

            if (chosen.Count > 1) throw ApiFailure.Invalid($"{bucketPath}.{chosen[1]}.isDefault", $"only one {purpose} preset can be the default");
            var selection = options[purpose] is { } s ? SelectionName(s, $"deliveryOptions.{purpose}") : null;
            if (chosen.Count == 1)
            {
                if (patch["deliveryOptions"]?[purpose] is { Type: JTokenType.String } explicitSelection
                    && (string)explicitSelection! is { Length: > 0 } name && name != chosen[0])
                    throw ApiFailure.Invalid($"{bucketPath}.{chosen[0]}.isDefault", $"contradicts deliveryOptions.{purpose} = '{name}'");
                selection = chosen[0];
            }
            if (selection is not null && builtIn[selection] is null && custom[selection] is null)
                throw ApiFailure.Invalid($"deliveryOptions.{purpose}", $"preset '{selection}' does not exist in deliveryOptions.presets.{purpose}");
            var inForce = selection ?? DeliveryPresets.DefaultName(purpose);
            if (declined.Contains(inForce))
                throw ApiFailure.Invalid($"{bucketPath}.{inForce}.isDefault",
                    $"'{inForce}' is the selected {purpose} preset; select another one with deliveryOptions.{purpose} instead");
            if (custom.Count > 0) storedPresets[purpose] = custom;
            if (selection is not null) storedOptions[purpose] = selection;
        }
        if (storedPresets.Count > 0) storedOptions.AddFirst(new JProperty("presets", storedPresets));
        if (storedOptions.Count > 0) stored["deliveryOptions"] = storedOptions;
        return stored;
    }

    /// <summary>Custom presets of a stored customer body, by purpose (built-ins not included).</summary>
    public static JObject CustomPresets(JObject? customerBody, string purpose) =>
        customerBody?["deliveryOptions"]?["presets"]?[purpose] as JObject ?? new JObject();

    /// <summary>The selection stored at a level for a purpose, or null when none is set.</summary>
    public static string? Selection(JObject? body, string purpose) =>
        body?["deliveryOptions"]?[purpose] is { Type: JTokenType.String } s && (string)s! is { Length: > 0 } name ? name : null;

    public static JObject RenderCustomer(JObject body, JObject ampCmsOptions)
    {
        var presets = new JObject();
        var options = new JObject { ["presets"] = presets };
        foreach (var purpose in DeliveryPresets.Purposes)
        {
            var selected = Selection(body, purpose) ?? DeliveryPresets.DefaultName(purpose);
            var bucket = new JObject();
            foreach (var (name, settings) in DeliveryPresets.BuiltIn(purpose))
                bucket[name] = new JObject { ["settings"] = settings, ["isDefault"] = name == selected };
            foreach (var (name, preset) in CustomPresets(body, purpose))
                bucket[name] = new JObject { ["settings"] = preset!["settings"]!.DeepClone(), ["isDefault"] = name == selected };
            presets[purpose] = bucket;
            options[purpose] = selected;
        }
        return new JObject
        {
            ["deliveryOptions"] = options,
            ["integrations"] = body["integrations"]?.DeepClone() ?? new JObject(),
            ["ampCmsOptions"] = ampCmsOptions,
        };
    }

    // ---- network and charge point ---------------------------------------------------------------------------

    /// <summary>Checks a merged network or charge point body against the customer's presets; returns what to store.</summary>
    public static JObject NormalizeNetworkOrChargePoint(JObject merged, JObject? customerBody)
    {
        var stored = new JObject();
        foreach (var key in new[] { "alerts", "idTagPriority" })
            if (merged[key] is { } flag)
                stored[key] = flag.Type == JTokenType.Boolean ? flag : throw ApiFailure.Invalid(key, "must be a boolean");
        if (merged["integrations"] is { } integrations) stored["integrations"] = RequireObject(integrations, "integrations");
        if (merged["chargingRules"] is { } rules) stored["chargingRules"] = rules;
        if (merged["alertOptions"] is { } alertOptions)
        {
            foreach (var (name, alert) in RequireObject(alertOptions, "alertOptions"))
                RequireObject(alert!, $"alertOptions.{name}");
            stored["alertOptions"] = alertOptions;
        }
        if (merged["deliveryOptions"] is { } delivery)
        {
            var storedOptions = new JObject();
            foreach (var (purpose, value) in RequireObject(delivery, "deliveryOptions"))
            {
                var path = $"deliveryOptions.{purpose}";
                if (!DeliveryPresets.Purposes.Contains(purpose)) throw ApiFailure.Invalid(path, "unknown field; allowed: TxProfile, TxDefaultProfile");
                if (SelectionName(value!, path) is not { } name) continue;
                if (!DeliveryPresets.IsBuiltIn(purpose, name) && CustomPresets(customerBody, purpose)[name] is null)
                    throw ApiFailure.Invalid(path, $"preset '{name}' does not exist in the customer's deliveryOptions.presets.{purpose}");
                storedOptions[purpose] = name;
            }
            if (storedOptions.Count > 0) stored["deliveryOptions"] = storedOptions;
        }
        return stored;
    }

    public static JObject RenderNetwork(JObject body) => new()
    {
        ["alerts"] = body["alerts"]?.DeepClone() ?? true,
        ["idTagPriority"] = body["idTagPriority"]?.DeepClone() ?? false,
        ["integrations"] = body["integrations"]?.DeepClone() ?? new JObject(),
        ["deliveryOptions"] = RenderSelections(body),
        ["chargingRules"] = body["chargingRules"]?.DeepClone() ?? JValue.CreateNull(),
        ["alertOptions"] = body["alertOptions"]?.DeepClone() ?? new JObject(),
    };

    public static JObject RenderChargePoint(JObject body) => new() { ["deliveryOptions"] = RenderSelections(body) };

    private static JObject RenderSelections(JObject body) => new()
    {
        [DeliveryPresets.TxProfile] = Selection(body, DeliveryPresets.TxProfile) ?? "",
        [DeliveryPresets.TxDefaultProfile] = Selection(body, DeliveryPresets.TxDefaultProfile) ?? "",
    };

    // ---- user -----------------------------------------------------------------------------------------------

    private static readonly string[] Channels = ["smsNotifications", "emailNotifications"];

    public static JObject NormalizeUser(JObject merged)
    {
        var stored = new JObject();
        if (merged["notificationChannels"] is not { } channels) return stored;
        var storedChannels = new JObject();
        foreach (var (key, value) in RequireObject(channels, "notificationChannels"))
        {
            var path = $"notificationChannels.{key}";
            if (!Channels.Contains(key)) throw ApiFailure.Invalid(path, $"unknown field; allowed: {string.Join(", ", Channels)}");
            storedChannels[key] = value!.Type == JTokenType.Boolean ? value : throw ApiFailure.Invalid(path, "must be a boolean");
        }
        stored["notificationChannels"] = storedChannels;
        return stored;
    }

    public static JObject RenderUser(JObject body) => new()
    {
        ["notificationChannels"] = new JObject
        {
            ["smsNotifications"] = body["notificationChannels"]?["smsNotifications"]?.DeepClone() ?? false,
            ["emailNotifications"] = body["notificationChannels"]?["emailNotifications"]?.DeepClone() ?? false,
        },
    };

    // ---- helpers --------------------------------------------------------------------------------------------

    private static JObject RequireObject(JToken token, string path) =>
        token as JObject ?? throw ApiFailure.Invalid(path, "must be an object");

    /// <summary>A preset name, or null for "" (no selection at this level).</summary>
    private static string? SelectionName(JToken token, string path) => token.Type switch
    {
        JTokenType.Null => null,
        JTokenType.String when ((string)token!).Length == 0 => null,
        JTokenType.String => (string)token!,
        _ => throw ApiFailure.Invalid(path, "must be a preset name (string) or \"\""),
    };
}
