using Cms.Core.Domain.Delivery;

namespace Cms.Host.Composition;

/// <summary>Runs webhook delivery for the life of the process.</summary>
public sealed class WebhookWorker(WebhookDelivery delivery, ILogger<WebhookWorker> log) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        delivery.RunAsync(e => log.LogError(e, "Webhook delivery failed"), stoppingToken);
}
