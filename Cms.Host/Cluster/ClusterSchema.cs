using Npgsql;

namespace Cms.Host.Cluster;

/// <summary>
/// The cluster's own tables, PostgreSQL only (a single SQLite node has no cluster): created here rather than by the
/// store's migrations, so they exist on PostgreSQL alone. charger_presence says which node holds each charger's
/// WebSocket; cluster_spill carries bus messages too large for NOTIFY.
/// </summary>
public static class ClusterSchema
{
    public static async Task EnsureAsync(NpgsqlDataSource data)
    {
        await using var conn = await data.OpenConnectionAsync();
        await using var cmd = conn.CreateCommand();
        // Two nodes starting together may both create: the advisory lock makes the second wait for the first.
        cmd.CommandText = "SELECT pg_advisory_xact_lock(" + LeaseKeys.Schema + ", 0); " +
            "CREATE TABLE IF NOT EXISTS charger_presence (charge_point_id TEXT PRIMARY KEY, node_id TEXT NOT NULL, " +
            "connection_id TEXT NOT NULL, since TIMESTAMPTZ NOT NULL DEFAULT now()); " +
            "CREATE TABLE IF NOT EXISTS cluster_spill (id TEXT PRIMARY KEY, body TEXT NOT NULL, created TIMESTAMPTZ NOT NULL DEFAULT now());";
        await using var tx = await conn.BeginTransactionAsync();
        cmd.Transaction = tx;
        await cmd.ExecuteNonQueryAsync();
        await tx.CommitAsync();
    }
}
