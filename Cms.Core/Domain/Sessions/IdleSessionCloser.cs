using Cms.Core.Auth;
using Cms.Core.Resources;
using Dapper;

namespace Cms.Core.Domain.Sessions;

/// <summary>
/// closeIdleSessions: some chargers never end their sessions. A session on a connector that has been Available for
/// <see cref="IdleAfter"/> with no measured power is closed, so it stops holding power in the plan.
/// </summary>
public sealed class IdleSessionCloser(CoreContext core, SessionService sessions)
{
    public static readonly TimeSpan IdleAfter = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan CheckEvery = TimeSpan.FromMinutes(1);

    public async Task<int> CloseIdleAsync()
    {
        var cutoff = Iso.Format(core.Clock.GetUtcNow() - IdleAfter);
        var idle = await core.Db.ReadAsync(conn => conn.QueryAsync<(string Id, string CustomerId)>(
            "SELECT s.id, s.customerId FROM charging_sessions_live s JOIN connectors c ON c.id = s.connectorId " +
            "JOIN networks n ON n.id = s.networkId WHERE n.closeIdleSessions = 1 AND c.ocppStatus = 'Available' " +
            "AND c.ocppStatusUpdate <= @cutoff AND s.sessionStart <= @cutoff AND COALESCE(s.currentChargingLoad, 0) <= 0",
            new { cutoff }));
        var closed = 0;
        foreach (var (id, customerId) in idle)
        {
            await sessions.StopAsync(new Caller("idle-session-closer", customerId, UserTypes.Service), id, transactionId: null);
            closed++;
        }
        return closed;
    }

    /// <summary>Checks every minute on the injected clock until stopped.</summary>
    public async Task RunAsync(Action<Exception> onError, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(CheckEvery, core.Clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                try { await CloseIdleAsync(); }
                catch (Exception e) when (e is not OperationCanceledException) { onError(e); }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // shutting down
        }
    }
}
