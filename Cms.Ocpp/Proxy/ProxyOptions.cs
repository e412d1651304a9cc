namespace Cms.Ocpp.Proxy;

/// <summary>What happens to the upstream CMS's own Set/ClearChargingProfile calls.</summary>
public enum UpstreamProfilePolicy
{
    /// <summary>Relayed unchanged: the charger combines both CMSs' profiles by its own stack-level rules.</summary>
    Pass,
    /// <summary>Answered by AmpCMS (SetChargingProfile: Rejected, ClearChargingProfile: Unknown); the charger never sees them.</summary>
    Block,
    /// <summary>
    /// Relayed with stack levels capped below AmpCMS's, so AmpCMS's limits stay on top, and with profile ids moved out of
    /// AmpCMS's range so neither side replaces the other's profiles (<see cref="UpstreamProfiles"/>).
    /// </summary>
    Below,
}

/// <summary>Proxy mode (config section "Ocpp:Proxy").</summary>
public sealed class ProxyOptions
{
    /// <summary>Default Below: the operator keeps its CMS's profiles, AmpCMS's optimization wins where both apply.</summary>
    public UpstreamProfilePolicy ChargingProfilePolicy { get; set; } = UpstreamProfilePolicy.Below;

    /// <summary>The stack level AmpCMS's own profiles use; upstream profiles are capped at one less under <see cref="UpstreamProfilePolicy.Below"/>.</summary>
    public int AmpStackLevel { get; set; } = 1;

    /// <summary>How long the charger's first call may wait for the upstream connection before AmpCMS answers it itself.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a relayed charger call waits for the upstream's answer before AmpCMS answers it and reconnects.</summary>
    public TimeSpan AnswerTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Frames the outage queue keeps per charger. Full: the oldest meter-only frame (MeterValues, 2.0.1 TransactionEvent
    /// Updated) is dropped; when only transaction starts and stops are queued, the new frame is. An ocpp_event says so.
    /// </summary>
    public int QueueLimit { get; set; } = 10_000;

    public TimeSpan ReconnectMin { get; set; } = TimeSpan.FromSeconds(1);
    public TimeSpan ReconnectMax { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Prefix of AmpCMS's own message ids on proxied connections; upstream ids that start with it are rewritten.</summary>
    public const string OwnIdPrefix = "amp-";
}
