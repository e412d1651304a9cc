using Cms.Core.Domain.Delivery;

namespace Cms.Host.Composition;

/// <summary>Runs SetChargingProfile delivery to connected chargers for the life of the process.</summary>
public sealed class ProfileDeliveryWorker(OcppProfileDelivery delivery, ILogger<ProfileDeliveryWorker> log) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        delivery.RunAsync(e => log.LogError(e, "Profile delivery failed"), stoppingToken);
}
