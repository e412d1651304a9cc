using Newtonsoft.Json.Linq;

namespace Cms.Core.Domain.Configurations;

/// <summary>
/// The deliveryOptions presets every customer has (spec, Configurations → Customer level), their settings'
/// rules, and the conversion of a preset into <see cref="DeliverySettings"/>. Names are the spec's, typo included
/// ("ampcontrol-squential-…"), because clients refer to presets by name.
/// </summary>
public static class DeliveryPresets
{
    public const string TxProfile = "TxProfile";
    public const string TxDefaultProfile = "TxDefaultProfile";
    public static readonly string[] Purposes = [TxProfile, TxDefaultProfile];

    public static string DefaultName(string purpose) => $"ampcontrol-default-{purpose}";

    /// <summary>Built-in presets by purpose, in the spec's order (name → settings). Fresh copies each call.</summary>
    public static JObject BuiltIn(string purpose)
    {
        var stackLevel = purpose == TxProfile ? 2 : 1;
        return new JObject
        {
            [$"ampcontrol-default-{purpose}"] = Settings(purpose, stackLevel, false, null, "All"),
            [$"ampcontrol-squential-{purpose}"] = Settings(purpose, stackLevel, false, null, "Sequential"),
            [$"ampcontrol-sequential-ampere-{purpose}"] = Settings(purpose, stackLevel, false, "A", "Sequential"),
            [$"ampcontrol-default-{purpose}-number-phases"] = Settings(purpose, stackLevel, true, null, "All"),
            [$"ampcontrol-sequential-ampere-number-phases-{purpose}"] = Settings(purpose, stackLevel, true, "A", "Sequential"),
        };
    }

    public static bool IsBuiltIn(string purpose, string name) => BuiltIn(purpose).ContainsKey(name);

    private static JObject Settings(string purpose, int stackLevel, bool numberPhases, string? unit, string deliveryType) => new()
    {
        ["timeZone"] = "utc",
        ["stackLevel"] = stackLevel,
        ["numberPhases"] = numberPhases,
        ["chargingRateUnit"] = unit is null ? JValue.CreateNull() : new JValue(unit),
        ["timestampsFormat"] = "default",
        ["useTransactionId"] = true,
        ["limitDeliveryType"] = deliveryType,
        ["chargingProfileKind"] = "Absolute",
        ["useChargingProfileId"] = true,
        ["chargingProfilePurpose"] = purpose,
    };

    /// <summary>
    /// Fills settings a client left out from <paramref name="baseline"/> (default: the purpose's default preset) and checks every value.
    /// Returns the field (relative to <paramref name="path"/>) and reason of the first problem, or null.
    /// </summary>
    public static (JObject Settings, string? Field, string? Reason) Complete(string purpose, JToken? given, string path, JObject? baseline = null)
    {
        if (given is not JObject settings) return (new JObject(), path, "must be an object");
        var full = (JObject)(baseline ?? BuiltIn(purpose)[DefaultName(purpose)]!).DeepClone();
        foreach (var (key, value) in settings)
        {
            if (!full.ContainsKey(key))
                return (full, $"{path}.{key}", $"unknown setting; allowed: {string.Join(", ", full.Properties().Select(p => p.Name))}");
            full[key] = value?.DeepClone();
        }
        string? Check(string key, Func<JToken, bool> ok) => full[key] is { } v && ok(v) ? null : key;
        var problems = new (string Key, Func<JToken, bool> Ok, string Reason)[]
        {
            ("chargingProfilePurpose", v => v.Type == JTokenType.String && (string)v! == purpose, $"must be {purpose} for a preset under presets.{purpose}"),
            ("stackLevel", v => v.Type == JTokenType.Integer && (long)v >= 0 && (long)v <= 1000, "must be an integer from 0 to 1000"),
            ("chargingRateUnit", v => v.Type == JTokenType.Null || v.Type == JTokenType.String && (string)v! is "W" or "A", "must be null, \"W\" or \"A\""),
            ("limitDeliveryType", v => v.Type == JTokenType.String && (string)v! is "All" or "Sequential", "must be \"All\" or \"Sequential\""),
            ("chargingProfileKind", v => v.Type == JTokenType.String && (string)v! == "Absolute", "must be \"Absolute\" (the only kind AmpCMS delivers)"),
            ("numberPhases", v => v.Type == JTokenType.Boolean, "must be a boolean"),
            ("useTransactionId", v => v.Type == JTokenType.Boolean, "must be a boolean"),
            ("useChargingProfileId", v => v.Type == JTokenType.Boolean, "must be a boolean"),
            ("timeZone", v => v.Type == JTokenType.String && ((string)v!).Length is > 0 and <= 64, "must be a non-empty string of at most 64 characters"),
            ("timestampsFormat", v => v.Type == JTokenType.String && ((string)v!).Length is > 0 and <= 64, "must be a non-empty string of at most 64 characters"),
        };
        foreach (var (key, ok, reason) in problems)
            if (Check(key, ok) is not null) return (full, $"{path}.{key}", reason);
        return (full, null, null);
    }

    /// <summary>The record delivery code uses; <paramref name="settings"/> is a completed, valid settings object.</summary>
    public static DeliverySettings ToDeliverySettings(string name, JObject settings) => new(
        name,
        (string)settings["chargingProfilePurpose"]!,
        (int)settings["stackLevel"]!,
        (bool)settings["numberPhases"]!,
        (string?)settings["chargingRateUnit"],
        (string)settings["limitDeliveryType"]!,
        (bool)settings["useTransactionId"]!,
        (bool)settings["useChargingProfileId"]!,
        (string)settings["chargingProfileKind"]!)
    {
        TimeZone = (string)settings["timeZone"]!,
        TimestampsFormat = (string)settings["timestampsFormat"]!,
    };
}
