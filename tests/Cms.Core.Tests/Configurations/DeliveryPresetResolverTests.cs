using Cms.Core.Auth;
using Cms.Core.Domain;
using Cms.Core.Domain.ChargePoints;
using Cms.Core.Domain.Configurations;
using Cms.Core.Domain.Networks;
using Cms.Core.Domain.Ocpp;
using Cms.Core.Resources;
using Cms.Core.Storage;
using Cms.Core.Time;
using Dapper;
using Newtonsoft.Json.Linq;
using Cms.Core.Tests.Support;

namespace Cms.Core.Tests.Configurations;

/// <summary>
/// The preset in force: charge point configuration, else network, else customer selection, else the built-in default.
/// Configurations are written through <see cref="ConfigurationService"/> into a temporary SQLite store.
/// </summary>
public sealed class DeliveryPresetResolverTests : IAsyncLifetime
{
    private TempDatabase _temp = null!;
    private Database _db = null!;
    private ConfigurationService _configs = null!;
    private DeliveryPresetResolver _resolver = null!;
    private Caller _caller = null!;
    private string _network = null!, _otherNetwork = null!, _chargePoint = null!, _otherChargePoint = null!;

    public async Task InitializeAsync()
    {
        _temp = await TempDatabase.CreateAsync();
        _db = _temp.Db;
        var core = new CoreContext(_db, TimeProvider.System, new GuidIdGenerator(), new DomainEvents());
        _caller = new Caller(Guid.NewGuid().ToString(), await AddCustomerAsync("one"), UserTypes.Admin);
        _configs = new ConfigurationService(core, new OcppSettingsService(core, new OcppDefaults("off")));
        _resolver = new DeliveryPresetResolver(_db, core.Events);
        var networks = new NetworkService(core);
        var chargePoints = new ChargePointService(core);
        _network = (string)(await networks.CreateAsync(_caller, JObject.FromObject(new { name = "n", maxCapacity = 30 })))["id"]!;
        _otherNetwork = (string)(await networks.CreateAsync(_caller, JObject.FromObject(new { name = "n2", maxCapacity = 30 })))["id"]!;
        _chargePoint = (string)(await chargePoints.CreateAsync(_caller, JObject.FromObject(new { name = "cp", maxCapacity = 22, networkId = _network })))["id"]!;
        _otherChargePoint = (string)(await chargePoints.CreateAsync(_caller, JObject.FromObject(new { name = "cp2", maxCapacity = 22, networkId = _network })))["id"]!;
    }

    public async Task DisposeAsync() => await _temp.DisposeAsync();

    [Fact]
    public async Task Nothing_configured_gives_the_built_in_defaults()
    {
        Assert.Equal(DeliverySettings.DefaultTxProfile, await _resolver.ResolveAsync(_caller.CustomerId, _network, _chargePoint));
        Assert.Equal(DeliverySettings.DefaultTxDefaultProfile,
            await _resolver.ResolveAsync(_caller.CustomerId, _network, _chargePoint, "TxDefaultProfile"));
        Assert.Equal(DeliverySettings.DefaultTxProfile, await _resolver.ResolveAsync(_caller.CustomerId, null, null));
    }

    [Fact]
    public async Task Charge_point_beats_network_beats_customer()
    {
        await Save(ConfigurationTarget.Customer, _caller.CustomerId, new
        {
            deliveryOptions = new
            {
                presets = new { TxProfile = new Dictionary<string, object> { ["site-amps"] = new { settings = new { chargingRateUnit = "A", stackLevel = 5 } } } },
                TxProfile = "site-amps",
            },
        });
        await Save(ConfigurationTarget.Network, _network, new { deliveryOptions = new { TxProfile = "ampcontrol-squential-TxProfile" } });
        await Save(ConfigurationTarget.ChargePoint, _chargePoint, new { deliveryOptions = new { TxProfile = "ampcontrol-sequential-ampere-number-phases-TxProfile" } });

        var atChargePoint = await _resolver.ResolveAsync(_caller.CustomerId, _network, _chargePoint);
        Assert.Equal("ampcontrol-sequential-ampere-number-phases-TxProfile", atChargePoint.Name);
        Assert.Equal(("A", true, "Sequential", 2), (atChargePoint.ChargingRateUnit, atChargePoint.NumberPhases, atChargePoint.LimitDeliveryType, atChargePoint.StackLevel));

        var atNetwork = await _resolver.ResolveAsync(_caller.CustomerId, _network, _otherChargePoint);
        Assert.Equal(("ampcontrol-squential-TxProfile", "Sequential", (string?)null), (atNetwork.Name, atNetwork.LimitDeliveryType, atNetwork.ChargingRateUnit));

        var atCustomer = await _resolver.ResolveAsync(_caller.CustomerId, _otherNetwork, null);
        Assert.Equal(new DeliverySettings("site-amps", "TxProfile", 5, false, "A", "All", true, true, "Absolute"), atCustomer);

        // TxDefaultProfile is resolved on its own: nothing selected it, so the built-in default holds everywhere.
        Assert.Equal(DeliverySettings.DefaultTxDefaultProfile,
            await _resolver.ResolveAsync(_caller.CustomerId, _network, _chargePoint, "TxDefaultProfile"));
    }

    [Fact]
    public async Task Many_charge_points_resolve_in_one_go_as_each_would_alone()
    {
        await Save(ConfigurationTarget.Network, _network, new { deliveryOptions = new { TxProfile = "ampcontrol-squential-TxProfile" } });
        await Save(ConfigurationTarget.ChargePoint, _chargePoint, new { deliveryOptions = new { TxProfile = "ampcontrol-sequential-ampere-TxProfile" } });
        var unknown = Guid.NewGuid().ToString();

        var many = await _resolver.ResolveManyAsync(_caller.CustomerId, _network, [_chargePoint, _otherChargePoint, _chargePoint, unknown], "TxProfile");

        Assert.Equal(3, many.Count);
        foreach (var id in new[] { _chargePoint, _otherChargePoint, unknown })
            Assert.Equal(await _resolver.ResolveAsync(_caller.CustomerId, _network, id), many[id]);
        Assert.Equal("ampcontrol-sequential-ampere-TxProfile", many[_chargePoint].Name);
        Assert.Equal("ampcontrol-squential-TxProfile", many[_otherChargePoint].Name);
        Assert.Empty(await _resolver.ResolveManyAsync(_caller.CustomerId, _network, [], "TxProfile"));
    }

    [Fact]
    public async Task A_change_is_seen_by_the_next_lookup_although_lookups_are_cached()
    {
        Assert.Equal(DeliverySettings.DefaultTxProfile, await _resolver.ResolveAsync(_caller.CustomerId, _network, _chargePoint));
        await Save(ConfigurationTarget.Network, _network, new { deliveryOptions = new { TxProfile = "ampcontrol-squential-TxProfile" } });
        Assert.Equal("ampcontrol-squential-TxProfile", (await _resolver.ResolveAsync(_caller.CustomerId, _network, _chargePoint)).Name);

        var configuration = await _configs.GetAsync(_caller, new ConfigurationTarget(ConfigurationTarget.Network, _network));
        await _configs.DeleteAsync(_caller, (string)configuration["id"]!);
        Assert.Equal(DeliverySettings.DefaultTxProfile, await _resolver.ResolveAsync(_caller.CustomerId, _network, _chargePoint));
    }

    [Fact]
    public async Task An_empty_selection_falls_through_to_the_next_level()
    {
        await Save(ConfigurationTarget.Network, _network, new { deliveryOptions = new { TxDefaultProfile = "ampcontrol-default-TxDefaultProfile-number-phases" } });
        await Save(ConfigurationTarget.ChargePoint, _chargePoint, new { deliveryOptions = new { TxDefaultProfile = "" } });
        var resolved = await _resolver.ResolveAsync(_caller.CustomerId, _network, _chargePoint, "TxDefaultProfile");
        Assert.Equal(("ampcontrol-default-TxDefaultProfile-number-phases", true, 1), (resolved.Name, resolved.NumberPhases, resolved.StackLevel));
    }

    [Fact]
    public async Task Another_customers_configuration_is_never_used()
    {
        await Save(ConfigurationTarget.Network, _network, new { deliveryOptions = new { TxProfile = "ampcontrol-squential-TxProfile" } });
        var stranger = await AddCustomerAsync("two");
        Assert.Equal(DeliverySettings.DefaultTxProfile, await _resolver.ResolveAsync(stranger, _network, null));
    }

    [Fact]
    public void A_name_without_a_preset_is_skipped()
    {
        var chargePoint = JObject.FromObject(new { deliveryOptions = new { TxProfile = "deleted-preset" } });
        var network = JObject.FromObject(new { deliveryOptions = new { TxProfile = "ampcontrol-sequential-ampere-TxProfile" } });
        Assert.Equal("ampcontrol-sequential-ampere-TxProfile", DeliveryPresetResolver.Resolve(null, network, chargePoint, "TxProfile").Name);
        Assert.Equal(DeliverySettings.DefaultTxProfile, DeliveryPresetResolver.Resolve(null, null, chargePoint, "TxProfile"));
    }

    [Fact]
    public async Task An_unknown_purpose_is_refused() =>
        await Assert.ThrowsAsync<ArgumentException>(() => _resolver.ResolveAsync(_caller.CustomerId, _network, null, "ChargePointMaxProfile"));

    [Fact]
    public async Task A_preset_selected_below_cannot_be_removed_from_the_customer()
    {
        await Save(ConfigurationTarget.Customer, _caller.CustomerId, new
        {
            deliveryOptions = new { presets = new { TxProfile = new Dictionary<string, object> { ["mine"] = new { settings = new { stackLevel = 3 } } } } },
        });
        await Save(ConfigurationTarget.Network, _network, new { deliveryOptions = new { TxProfile = "mine" } });
        var refused = await Assert.ThrowsAsync<ApiFailure>(() => _configs.UpdateAsync(_caller, new(ConfigurationTarget.Customer, _caller.CustomerId),
            JObject.Parse("""{"deliveryOptions": {"presets": {"TxProfile": {"mine": null}}}}""")));
        Assert.Equal(409, refused.Status);
        Assert.Equal("mine", (await _resolver.ResolveAsync(_caller.CustomerId, _network, null)).Name);
    }

    private async Task Save(string level, string id, object body)
    {
        var target = new ConfigurationTarget(level, id);
        await _configs.UpdateAsync(_caller, target, JObject.FromObject(body));
    }

    private async Task<string> AddCustomerAsync(string shortName)
    {
        var id = Guid.NewGuid().ToString();
        var now = Iso.Format(DateTimeOffset.UtcNow);
        await _db.WriteAsync(async (conn, tx) => await conn.ExecuteAsync(
            "INSERT INTO customers (id, created, updated, name, shortName) VALUES (@id, @now, @now, @shortName, @shortName)",
            new { id, now, shortName }, tx));
        return id;
    }
}
