using Newtonsoft.Json.Linq;

namespace Cms.IntegrationTests.Fuzzing;

/// <summary>Breaks a JSON value the ways firmware and clients do: wrong types, missing and unknown fields, extremes.</summary>
public static class JsonMutator
{
    private static readonly string[] OddStrings =
    [
        "", " ", "\u0000", "null", "NaN", "-1", "1e999", "😀🔌", "'; DROP TABLE charge_points; --", "%s%n", "\\", "\"",
        "2031-02-30T25:61:00Z", "yesterday", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.9999999+14:00", "<script>", "\r\n",
        "00000000-0000-0000-0000-000000000000",
    ];

    /// <summary>A mutated deep copy: one to three changes.</summary>
    public static JToken Mutate(JToken value, Random random)
    {
        var copy = value.DeepClone();
        for (var n = random.Next(1, 4); n > 0; n--) copy = MutateOnce(copy, random);
        return copy;
    }

    private static JToken MutateOnce(JToken root, Random random)
    {
        var nodes = (root is JContainer c ? c.DescendantsAndSelf() : [root]).Where(t => t is not JProperty).ToList();
        var target = nodes[random.Next(nodes.Count)];
        switch (random.Next(6))
        {
            case 0 when target.Parent is JProperty property:
                property.Remove(); // a field goes missing
                return root;
            case 1 when target is JObject obj:
                obj["unknown" + random.Next(100)] = Leaf(random); // a field nobody defined
                return root;
            case 2 when target is JArray array:
                for (var i = random.Next(1, 20); i > 0; i--) array.Add(array.Count > 0 ? array[0].DeepClone() : Leaf(random));
                return root;
            default:
                var replacement = random.Next(10) == 0 ? Nested(random.Next(2, 40), random) : Leaf(random);
                if (target == root) return replacement is JObject ? replacement : root;
                try { target.Replace(replacement); }
                catch (OverflowException) { target.Replace(new JValue("overflow")); } // Newtonsoft compares the old and new value
                return root;
        }
    }

    /// <summary>Any scalar, empty container or extreme.</summary>
    public static JToken Leaf(Random random) => random.Next(14) switch
    {
        0 => JValue.CreateNull(),
        1 => new JValue(random.Next(2) == 0),
        2 => new JValue(random.Next(int.MinValue, int.MaxValue)),
        3 => new JValue(long.MaxValue),
        4 => new JValue(random.NextDouble() * 1e12 - 5e11),
        5 => new JValue(double.MaxValue),
        6 => new JValue(-0.000001),
        7 => new JObject(),
        8 => new JArray(),
        9 => new JValue(new string('x', random.Next(100, 5000))),
        10 => new JRaw(random.Next(2) == 0 ? "1e400" : "123456789012345678901234567890123"),
        _ => new JValue(OddStrings[random.Next(OddStrings.Length)]),
    };

    /// <summary>Objects and arrays nested <paramref name="depth"/> deep.</summary>
    public static JToken Nested(int depth, Random random)
    {
        JToken inner = Leaf(random);
        for (var i = 0; i < depth; i++) inner = random.Next(2) == 0 ? new JArray(inner) : new JObject { ["n"] = inner };
        return inner;
    }

    /// <summary>Nesting as text, for depths no JSON library should build: "[[[[…]]]]".</summary>
    public static string NestedText(int depth) => new string('[', depth) + "1" + new string(']', depth);
}
