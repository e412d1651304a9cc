using Cms.Core.Storage;

namespace Cms.Host.Composition;

/// <summary>Runs the traffic journals' mover for the life of the process (every node: each moves what is there).</summary>
public sealed class JournalMoverWorker(JournalMover mover, ILogger<JournalMoverWorker> log) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        mover.RunAsync(e => log.LogError(e, "Moving the traffic journals failed"), stoppingToken);
}

public static class TrafficJournalServices
{
    /// <summary>The mover and its settings: Storage:JournalMoveRows, Storage:JournalMaxDelaySeconds.</summary>
    public static IServiceCollection AddTrafficJournals(this IServiceCollection services, IConfiguration config)
    {
        var defaults = new JournalMoverOptions();
        services.AddSingleton(new JournalMoverOptions
        {
            MoveRows = config.GetValue("Storage:JournalMoveRows", defaults.MoveRows),
            MaxDelay = TimeSpan.FromSeconds(config.GetValue("Storage:JournalMaxDelaySeconds", defaults.MaxDelay.TotalSeconds)),
        });
        services.AddSingleton<JournalMover>();
        services.AddHostedService<JournalMoverWorker>();
        return services;
    }
}
