using Cms.Core.Resources;

namespace Cms.Core.Domain.Configurations;

/// <summary>Which object a configuration belongs to: exactly one of ?customer=, ?network=, ?chargepoint=, ?user=.</summary>
public sealed record ConfigurationTarget(string Level, string Id)
{
    public const string Customer = "customer";
    public const string Network = "network";
    public const string ChargePoint = "chargepoint";
    public const string User = "user";
    public static readonly string[] Levels = [Customer, Network, ChargePoint, User];

    /// <summary>Reads the query; any other key, a repeated key, an empty value, or not exactly one level is a 400.</summary>
    public static ConfigurationTarget FromQuery(IEnumerable<KeyValuePair<string, string[]>> query)
    {
        ConfigurationTarget? found = null;
        foreach (var (key, values) in query)
        {
            if (!Levels.Contains(key))
                throw ApiFailure.BadRequest(key, $"unknown query parameter; use exactly one of {string.Join(", ", Levels)}");
            if (values.Length != 1 || string.IsNullOrWhiteSpace(values[0]))
                throw ApiFailure.BadRequest(key, "must be given once, with an id");
            if (found is not null)
                throw ApiFailure.BadRequest(key, $"only one of {string.Join(", ", Levels)} may be given (also got {found.Level})");
            found = new ConfigurationTarget(key, values[0].Trim());
        }
        return found ?? throw ApiFailure.BadRequest("query", $"exactly one of {string.Join(", ", Levels)} is required");
    }
}
