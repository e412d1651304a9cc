namespace Cms.Ocpp.Csms;

/// <summary>How AmpCMS behaves as the chargers' central system (config section "Ocpp").</summary>
public sealed class OcppCsmsOptions
{
    /// <summary>Told to chargers in BootNotification.conf.</summary>
    public int HeartbeatIntervalSeconds { get; set; } = 300;
}
