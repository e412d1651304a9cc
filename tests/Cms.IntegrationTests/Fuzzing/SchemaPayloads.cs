using System.Globalization;
using Newtonsoft.Json.Linq;

namespace Cms.IntegrationTests.Fuzzing;

/// <summary>
/// Payloads drawn from the official OCPP schemas (schemas/ in the repository): valid by construction, so mutations of
/// them reach the handlers behind the schema check and not only the validator. Small numbers and near dates, so
/// connector ids and timestamps hit existing rows.
/// </summary>
public sealed class SchemaPayloads
{
    private readonly Dictionary<string, JObject> _schemas = new();

    public SchemaPayloads(string protocol)
    {
        var dir = Path.Combine(RepositoryRoot(), "schemas", protocol);
        foreach (var file in Directory.GetFiles(dir, "*.json"))
        {
            var name = Path.GetFileName(file);
            var action = protocol == "ocpp1.6"
                ? (name.EndsWith(".req.json", StringComparison.Ordinal) ? name[..^".req.json".Length] : null)
                : (name.EndsWith("Request.json", StringComparison.Ordinal) ? name[..^"Request.json".Length] : null);
            if (action is not null) _schemas[action] = JObject.Parse(File.ReadAllText(file));
        }
    }

    public IReadOnlyCollection<string> Actions => _schemas.Keys;

    public JObject Generate(string action, Random random)
    {
        var schema = _schemas[action];
        return (JObject)Value(schema, schema, random, "", 0);
    }

    private static JToken Value(JObject schema, JObject node, Random random, string name, int depth)
    {
        if (node["$ref"] is JValue reference)
            node = (JObject)schema.SelectToken(((string)reference!).TrimStart('#').Replace('/', '.').TrimStart('.'))!;
        if (node["enum"] is JArray choices) return choices[random.Next(choices.Count)].DeepClone();
        return (string?)node["type"] switch
        {
            "object" => Object(schema, node, random, depth),
            "array" => Array(schema, node, random, name, depth),
            "integer" => new JValue(Integer(node, random, name)),
            "number" => new JValue(Math.Round(random.NextDouble() * 100, 1)),
            "boolean" => new JValue(random.Next(2) == 0),
            _ => new JValue(Text(node, random, name)),
        };
    }

    private static JObject Object(JObject schema, JObject node, Random random, int depth)
    {
        var result = new JObject();
        var required = node["required"]?.Select(r => (string)r!).ToHashSet() ?? [];
        foreach (var property in (node["properties"] as JObject)?.Properties() ?? [])
            if (required.Contains(property.Name) || (depth < 4 && random.Next(3) == 0))
                result[property.Name] = Value(schema, (JObject)property.Value, random, property.Name, depth + 1);
        return result;
    }

    private static JArray Array(JObject schema, JObject node, Random random, string name, int depth)
    {
        var min = (int?)node["minItems"] ?? 0;
        var max = Math.Min((int?)node["maxItems"] ?? 3, min + 3);
        var items = (JObject)node["items"]!;
        var array = new JArray();
        for (var i = random.Next(min, max + 1); i > 0; i--) array.Add(Value(schema, items, random, name, depth + 1));
        return array;
    }

    private static long Integer(JObject node, Random random, string name)
    {
        if (name is "connectorId" or "evseId") return random.Next(0, 3);
        var min = (long?)node["minimum"] ?? 0;
        var max = (long?)node["maximum"] ?? Math.Max(min, 100_000);
        return min + (long)(random.NextDouble() * (max - min));
    }

    private static string Text(JObject node, Random random, string name)
    {
        if ((string?)node["format"] == "date-time")
            return DateTimeOffset.UtcNow.AddMinutes(random.Next(-600, 600)).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        if (name == "value") return (random.NextDouble() * 50_000).ToString("0.#", CultureInfo.InvariantCulture);
        var max = (int?)node["maxLength"] ?? 20;
        var length = random.Next(1, Math.Min(max, 20) + 1);
        return new string(Enumerable.Range(0, length).Select(_ => (char)random.Next('A', 'Z' + 1)).ToArray());
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (Directory.Exists(Path.Combine(dir.FullName, "schemas", "ocpp1.6"))) return dir.FullName;
        throw new DirectoryNotFoundException("schemas/ocpp1.6 not found above " + AppContext.BaseDirectory);
    }
}
