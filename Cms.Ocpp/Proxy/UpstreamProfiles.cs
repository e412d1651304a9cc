using Newtonsoft.Json.Linq;

namespace Cms.Ocpp.Proxy;

/// <summary>
/// Policy Below: the upstream's charging profiles live beside AmpCMS's at the charger without ever replacing them. A
/// charger replaces a profile with the same id whatever its stack level, so the upstream's ids are moved out of
/// AmpCMS's range (1..1_000_000_000, see ProfileBuilder.ChargingProfileId): upstream id N is N + <see cref="Offset"/> at
/// the charger, and comes back as N (2.0.1 ReportChargingProfiles). Their stack levels are capped one below AmpCMS's.
/// An upstream id outside 0..<see cref="MaxUpstreamId"/> cannot be moved: AmpCMS refuses that SetChargingProfile.
/// </summary>
public static class UpstreamProfiles
{
    /// <summary>Upstream profile id N is N + Offset at the charger: above every id AmpCMS uses.</summary>
    public const int Offset = 1_000_000_001;
    public const int MaxUpstreamId = int.MaxValue - Offset;

    public static long? ToCharger(long upstreamId) => upstreamId is >= 0 and <= MaxUpstreamId ? upstreamId + Offset : null;

    public static long ToUpstream(long chargerId) => chargerId >= Offset ? chargerId - Offset : chargerId;

    /// <summary>What an upstream→charger call becomes: unchanged, rewritten, or refused by AmpCMS (an id it cannot move).</summary>
    public sealed record Outcome(JObject? Rewritten, bool Refused);

    static readonly Outcome Unchanged = new(null, false);

    /// <summary>Rewrites the profile ids and stack levels of an upstream call for the charger.</summary>
    public static Outcome ForCharger(OcppVersion version, string action, JObject payload, int ceiling)
    {
        var copy = (JObject)payload.DeepClone();
        var ok = (version, action) switch
        {
            (OcppVersion.Ocpp16, "SetChargingProfile") => Profile(copy["csChargingProfiles"] as JObject, "chargingProfileId", ceiling),
            (OcppVersion.Ocpp16, "RemoteStartTransaction") => Profile(copy["chargingProfile"] as JObject, "chargingProfileId", ceiling),
            (OcppVersion.Ocpp16, "ClearChargingProfile") => Clear(copy, copy, "id", ceiling),
            (_, "SetChargingProfile" or "RequestStartTransaction") => Profile(copy["chargingProfile"] as JObject, "id", ceiling),
            (_, "ClearChargingProfile") => Clear(copy, Criteria(copy, "chargingProfileCriteria"), "chargingProfileId", ceiling),
            (_, "GetChargingProfiles") => Criteria201(copy["chargingProfile"] as JObject, ceiling),
            _ => (bool?)null,
        };
        return ok switch
        {
            null => Unchanged,
            false => new Outcome(null, true),
            true => JToken.DeepEquals(copy, payload) ? Unchanged : new Outcome(copy, false),
        };
    }

    /// <summary>A charger call bound upstream with the upstream's own profile ids (2.0.1 ReportChargingProfiles); null when unchanged.</summary>
    public static JObject? ForUpstream(string action, JObject payload)
    {
        if (action != "ReportChargingProfiles" || payload["chargingProfile"] is not JArray profiles
            || !profiles.Any(p => p["id"] is { Type: JTokenType.Integer } id && (long)id >= Offset)) return null;
        var copy = (JObject)payload.DeepClone();
        foreach (var profile in ((JArray)copy["chargingProfile"]!).OfType<JObject>())
            if (profile["id"] is { Type: JTokenType.Integer } id) profile["id"] = ToUpstream((long)id);
        return copy;
    }

    static bool Profile(JObject? profile, string idKey, int ceiling)
    {
        if (profile is null) return true;
        if (profile[idKey] is { Type: JTokenType.Integer } id)
        {
            if (ToCharger((long)id) is not { } moved) return false;
            profile[idKey] = moved;
        }
        Cap(profile, ceiling);
        return true;
    }

    /// <summary>
    /// Clear by id: the moved id, and an id the upstream could never have set (out of range) clears nothing (refused:
    /// Unknown). Clear by criteria: the stack level is capped like the profiles were; with no stack level (every
    /// profile matching the rest) and a ceiling of 0, it is narrowed to stack level 0, where all the upstream's profiles are.
    /// </summary>
    static bool Clear(JObject payload, JObject criteria, string idKey, int ceiling)
    {
        if (payload[idKey] is { Type: JTokenType.Integer } id)
        {
            if (ToCharger((long)id) is not { } moved) return false;
            payload[idKey] = moved;
            return true;
        }
        if (criteria["stackLevel"] is null && ceiling == 0) criteria["stackLevel"] = 0;
        else Cap(criteria, ceiling);
        return true;
    }

    static JObject Criteria(JObject payload, string key)
    {
        if (payload[key] is JObject existing) return existing;
        var created = new JObject();
        payload[key] = created;
        return created;
    }

    static bool Criteria201(JObject? criterion, int ceiling)
    {
        if (criterion is null) return true;
        if (criterion["chargingProfileId"] is JArray ids)
            foreach (var item in ids.ToList())
                if (item.Type == JTokenType.Integer && ToCharger((long)item) is { } moved) item.Replace(moved);
        Cap(criterion, ceiling);
        return true;
    }

    static void Cap(JObject holder, int ceiling)
    {
        if (holder["stackLevel"] is { Type: JTokenType.Integer } level && (long)level > ceiling) holder["stackLevel"] = ceiling;
    }
}
