using Cms.Core.Resources;
using Dapper;

namespace Cms.Core.Domain.Ocpp;

/// <summary>
/// The CSMS assigns OCPP transaction ids. One counter for the whole store, seeded from the highest id ever stored,
/// so ids never repeat across restarts or customers.
/// </summary>
public sealed class TransactionIds(CoreContext core)
{
    private long _last = -1;
    private readonly SemaphoreSlim _init = new(1, 1);

    public async Task<long> NextAsync()
    {
        if (Interlocked.Read(ref _last) < 0)
        {
            await _init.WaitAsync();
            try
            {
                if (_last < 0)
                    _last = await core.Db.ReadAsync(conn =>
                        conn.ExecuteScalarAsync<long>("SELECT COALESCE(MAX(transactionId), 0) FROM charging_sessions"));
            }
            finally
            {
                _init.Release();
            }
        }
        return Interlocked.Increment(ref _last);
    }
}
