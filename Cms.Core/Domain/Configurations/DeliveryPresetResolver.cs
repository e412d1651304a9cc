using System.Collections.Concurrent;
using Cms.Core.Storage;
using Newtonsoft.Json.Linq;

namespace Cms.Core.Domain.Configurations;

/// <summary>A configuration was created, changed or deleted (after the commit).</summary>
public sealed record ConfigurationChanged(string CustomerId);

/// <summary>
/// The deliveryOptions preset in force for a charge point (issue 5, item 2): the preset named by the charge point's
/// configuration, else by its network's, else the customer's selection, else the built-in default
/// (<c>ampcontrol-default-TxProfile</c> / <c>ampcontrol-default-TxDefaultProfile</c>). A name that no longer
/// matches a preset (writes prevent it, but rows may predate a change) is skipped, not fatal.
/// Every delivery run asks, and configurations rarely change: each customer's are read once and kept until a
/// <see cref="ConfigurationChanged"/> drops them, so a charger's new limit never waits for this lookup.
/// </summary>
public sealed class DeliveryPresetResolver
{
    private sealed record CustomerConfigurations(JObject? Customer, Dictionary<string, JObject> Networks, Dictionary<string, JObject> ChargePoints);

    private readonly Database _db;
    private readonly ConcurrentDictionary<string, CustomerConfigurations> _cache = new();
    private int _generation; // bumped on every change: a load that overlapped a change is not kept

    public DeliveryPresetResolver(Database db, DomainEvents events)
    {
        _db = db;
        events.Subscribe<ConfigurationChanged>(_ =>
        {
            Interlocked.Increment(ref _generation);
            _cache.Clear();
        });
    }

    public async Task<DeliverySettings> ResolveAsync(string customerId, string? networkId, string? chargePointId,
        string purpose = DeliveryPresets.TxProfile)
    {
        RequirePurpose(purpose);
        var configs = await ConfigurationsAsync(customerId);
        return Resolve(configs.Customer, Level(configs.Networks, networkId), Level(configs.ChargePoints, chargePointId), purpose);
    }

    /// <summary>The presets in force for many charge points of one network, as a delivery run needs them.</summary>
    public async Task<IReadOnlyDictionary<string, DeliverySettings>> ResolveManyAsync(string customerId, string networkId,
        IReadOnlyCollection<string> chargePointIds, string purpose)
    {
        RequirePurpose(purpose);
        var configs = await ConfigurationsAsync(customerId);
        var network = Level(configs.Networks, networkId);
        // Charge points without a configuration of their own (nearly all) share the network's answer: resolved once, not
        // once per charger of a 1,000-charger run (each resolve builds the built-in presets anew).
        DeliverySettings? shared = null;
        return chargePointIds.Distinct().ToDictionary(id => id, id => Level(configs.ChargePoints, id) is { } own
            ? Resolve(configs.Customer, network, own, purpose)
            : shared ??= Resolve(configs.Customer, network, null, purpose));
    }

    private static void RequirePurpose(string purpose)
    {
        if (!DeliveryPresets.Purposes.Contains(purpose))
            throw new ArgumentException($"purpose must be TxProfile or TxDefaultProfile, not '{purpose}'", nameof(purpose));
    }

    private static JObject? Level(Dictionary<string, JObject> bodies, string? id) =>
        id is not null && bodies.TryGetValue(id, out var body) ? body : null;

    private async Task<CustomerConfigurations> ConfigurationsAsync(string customerId)
    {
        if (_cache.TryGetValue(customerId, out var cached)) return cached;
        var generation = Volatile.Read(ref _generation);
        var loaded = await _db.ReadAsync(async conn => new CustomerConfigurations(
            (await ConfigurationStore.FindAsync(conn, customerId, ConfigurationTarget.Customer, customerId))?.Body,
            (await ConfigurationStore.ListAsync(conn, customerId, ConfigurationTarget.Network)).ToDictionary(c => c.TargetId, c => c.Body),
            (await ConfigurationStore.ListAsync(conn, customerId, ConfigurationTarget.ChargePoint)).ToDictionary(c => c.TargetId, c => c.Body)));
        if (generation == Volatile.Read(ref _generation)) _cache[customerId] = loaded;
        return loaded;
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
