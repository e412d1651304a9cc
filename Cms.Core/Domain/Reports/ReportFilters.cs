using System.Globalization;
using Cms.Core.Resources;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Cms.Core.Domain.Reports;

/// <summary>
/// A report's "filters" object is its list endpoint's query string as JSON: {"network": "…", "chargepoint": ["a", "b"],
/// "start": "…", "limit": 50000, "offset": 0}. limit and offset page the export itself (limit up to 100,000).
/// </summary>
public sealed record ReportFilters(IReadOnlyList<KeyValuePair<string, string[]>> Query, int Limit, int Offset)
{
    public static ReportFilters Parse(JToken? filters)
    {
        if (filters is null || filters.Type == JTokenType.Null) return new([], ReportResource.MaxRows, 0);
        if (filters is not JObject obj) throw ApiFailure.Invalid("filters", "must be a JSON object");
        var query = new List<KeyValuePair<string, string[]>>();
        int limit = ReportResource.MaxRows, offset = 0;
        foreach (var prop in obj.Properties())
        {
            var field = "filters." + prop.Name;
            switch (prop.Name)
            {
                case "limit":
                    limit = Integer(prop.Value, field, 1, ReportResource.MaxRows);
                    break;
                case "offset":
                    offset = Integer(prop.Value, field, 0, int.MaxValue);
                    break;
                default:
                    var values = prop.Value is JArray list ? list.Select(v => Scalar(v, field)).ToArray() : [Scalar(prop.Value, field)];
                    if (values.Length == 0) throw ApiFailure.Invalid(field, "must not be an empty list");
                    query.Add(new(prop.Name, values));
                    break;
            }
        }
        return new(query, limit, offset);
    }

    /// <summary>Stored filters read back as they were sent: timestamps stay the strings the client wrote.</summary>
    public static JToken ReadStored(string json)
    {
        using var reader = new JsonTextReader(new StringReader(json)) { DateParseHandling = DateParseHandling.None };
        return JToken.ReadFrom(reader);
    }

    private static int Integer(JToken token, string field, int min, int max) =>
        token.Type == JTokenType.Integer && (long)token! >= min && (long)token! <= max
            ? (int)(long)token!
            : throw ApiFailure.Invalid(field, $"must be an integer between {min} and {max}");

    private static string Scalar(JToken token, string field) => token.Type switch
    {
        JTokenType.String => (string)token!,
        JTokenType.Integer or JTokenType.Float => Convert.ToString(((JValue)token).Value, CultureInfo.InvariantCulture)!,
        JTokenType.Boolean => (bool)token! ? "true" : "false",
        _ => throw ApiFailure.Invalid(field, "must be a string, number, boolean or a list of them"),
    };
}
