using Cms.Core.Domain.Ocpp;
using Cms.Ocpp.Csms;
using Cms.Ocpp.V201.Types;

namespace Cms.Ocpp.V201.Actions;

public sealed class BootNotificationRequest
{
    public ChargingStationType ChargingStation { get; init; } = new();
    public string Reason { get; init; } = "";
}

public sealed class ChargingStationType
{
    public string Model { get; init; } = "";
    public string VendorName { get; init; } = "";
    public string? SerialNumber { get; init; }
    public string? FirmwareVersion { get; init; }
}

public sealed class BootNotificationResponse
{
    public string CurrentTime { get; init; } = "";
    public int Interval { get; init; }
    public string Status { get; init; } = "";
}

/// <summary>The station's vendor, model, serial and firmware become the charge point's; it is accepted.</summary>
public sealed class BootNotificationHandler(ChargerStatus status, TimeProvider clock, OcppCsmsOptions options)
    : Ocpp201Handler<BootNotificationRequest, BootNotificationResponse>
{
    protected override async Task<BootNotificationResponse> HandleAsync(ChargerAdmitted charger, BootNotificationRequest request)
    {
        var station = request.ChargingStation;
        await status.BootedAsync(charger, station.VendorName, station.Model, station.SerialNumber, station.FirmwareVersion, null);
        return new() { CurrentTime = Ocpp201Convert.Time(clock.GetUtcNow()), Interval = options.HeartbeatIntervalSeconds, Status = "Accepted" };
    }
}
