using Newtonsoft.Json.Linq;

namespace Cms.Core.Domain.Configurations;

/// <summary>JSON merge patch (RFC 7396): objects merge key by key, null removes a key (back to its default), anything else replaces.</summary>
public static class JsonMerge
{
    public static JObject Apply(JObject target, JObject patch)
    {
        var result = (JObject)target.DeepClone();
        foreach (var (key, value) in patch)
        {
            if (value is null || value.Type == JTokenType.Null) result.Remove(key);
            else if (value is JObject child && result[key] is JObject existing) result[key] = Apply(existing, child);
            else result[key] = value is JObject o ? Apply(new JObject(), o) : value.DeepClone();
        }
        return result;
    }
}
