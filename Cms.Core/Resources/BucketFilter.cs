using System.Globalization;

namespace Cms.Core.Resources;

/// <summary>
/// Filters whose values are a comparison with a fixed threshold, as the spec lists them
/// (chargingDuration=&gt;=300, energyConsumption=&lt;20). Only the listed buckets are accepted; several mean "any of".
/// </summary>
public static class BucketFilter
{
    public static FilterSpec For(string param, string sqlExpression, params string[] buckets) =>
        new(param, (values, p) => string.Join(" OR ", values.Select(v =>
        {
            var (op, threshold) = Parse(param, v, buckets);
            return $"{sqlExpression} {op} {p.Add(threshold)}";
        }))) { Allowed = buckets };

    /// <summary>Splits "&gt;=300" into (">=", 300); anything not in <paramref name="buckets"/> names the parameter.</summary>
    public static (string Op, double Threshold) Parse(string param, string value, IReadOnlyList<string> buckets)
    {
        var text = value.Trim().Replace(" ", "", StringComparison.Ordinal);
        if (!buckets.Contains(text))
            throw ApiFailure.BadRequest(param, "must be one of " + string.Join(", ", buckets));
        var op = text.StartsWith(">=", StringComparison.Ordinal) ? ">="
            : text.StartsWith("<=", StringComparison.Ordinal) ? "<="
            : text.StartsWith('<') ? "<"
            : text.StartsWith('>') ? ">"
            : throw ApiFailure.BadRequest(param, "must start with <, <=, > or >=");
        if (!double.TryParse(text[op.Length..], NumberStyles.Float, CultureInfo.InvariantCulture, out var threshold))
            throw ApiFailure.BadRequest(param, "must be an operator followed by a number");
        return (op, threshold);
    }
}
