using Cms.Core.Storage;
using Newtonsoft.Json.Linq;

namespace Cms.Core.Domain.Configurations;

/// <summary>
/// The deliveryOptions preset in force for a charge point (issue 5, item 2): the preset named by the charge point's
/// configuration, else by its network's, else the customer's selection, else the built-in default
/// (<c>ampcontrol-default-TxProfile</c> / <c>ampcontrol-default-TxDefaultProfile</c>). A name that no longer
/// matches a preset (writes prevent it, but rows may predate a change) is skipped, not fatal.
/// </summary>
public sealed class DeliveryPresetResolver(Database db)
{
    public async Task<DeliverySettings> ResolveAsync(string customerId, string? networkId, string? chargePointId,
        string purpose = DeliveryPresets.TxProfile)
    {
        if (!DeliveryPresets.Purposes.Contains(purpose))
            throw new ArgumentException($"purpose must be TxProfile or TxDefaultProfile, not '{purpose}'", nameof(purpose));
        var (customer, network, chargePoint) = await db.ReadAsync(async conn =>
        {
            var c = await ConfigurationStore.FindAsync(conn, customerId, ConfigurationTarget.Customer, customerId);
            var n = string.IsNullOrEmpty(networkId) ? null : await ConfigurationStore.FindAsync(conn, customerId, ConfigurationTarget.Network, networkId);
            var cp = string.IsNullOrEmpty(chargePointId) ? null : await ConfigurationStore.FindAsync(conn, customerId, ConfigurationTarget.ChargePoint, chargePointId);
            return (c?.Body, n?.Body, cp?.Body);
        });
        return Resolve(customer, network, chargePoint, purpose);
    }

    /// <summary>
    /// The presets in force for many charge points of one network, read in one go: a delivery run resolves every charger
    /// it is about to send to, and one query per charger would delay the first SetChargingProfile.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, DeliverySettings>> ResolveManyAsync(string customerId, string networkId,
        IReadOnlyCollection<string> chargePointIds, string purpose)
    {
        if (!DeliveryPresets.Purposes.Contains(purpose))
            throw new ArgumentException($"purpose must be TxProfile or TxDefaultProfile, not '{purpose}'", nameof(purpose));
        if (chargePointIds.Count == 0) return new Dictionary<string, DeliverySettings>();
        var (customer, network, chargePoints) = await db.ReadAsync(async conn =>
        {
            var c = await ConfigurationStore.FindAsync(conn, customerId, ConfigurationTarget.Customer, customerId);
            var n = await ConfigurationStore.FindAsync(conn, customerId, ConfigurationTarget.Network, networkId);
            var cps = await ConfigurationStore.FindManyAsync(conn, customerId, ConfigurationTarget.ChargePoint, chargePointIds);
            return (c?.Body, n?.Body, cps);
        });
        return chargePointIds.Distinct().ToDictionary(id => id,
            id => Resolve(customer, network, chargePoints.TryGetValue(id, out var cp) ? cp.Body : null, purpose));
    }

    /// <summary>The rule itself, on stored configuration bodies (null = nothing stored at that level).</summary>
    public static DeliverySettings Resolve(JObject? customer, JObject? network, JObject? chargePoint, string purpose)
    {
        var builtIn = DeliveryPresets.BuiltIn(purpose);
        var custom = ConfigurationRules.CustomPresets(customer, purpose);
        foreach (var level in new[] { chargePoint, network, customer })
        {
            if (ConfigurationRules.Selection(level, purpose) is not { } name) continue;
            if (custom[name]?["settings"] is JObject settings) return DeliveryPresets.ToDeliverySettings(name, settings);
            if (builtIn[name] is JObject standard) return DeliveryPresets.ToDeliverySettings(name, standard);
        }
        var fallback = DeliveryPresets.DefaultName(purpose);
        return DeliveryPresets.ToDeliverySettings(fallback, (JObject)builtIn[fallback]!);
    }
}
