using Cms.Core.Domain.Ocpp;

namespace Cms.Host.Composition;

/// <summary>Runs the OCPP message log's batch writer for the life of the process and drains it on shutdown.</summary>
public sealed class MessageLogWriter(OcppMessageLog log) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => log.RunAsync(stoppingToken);
}
