using System.Data.Common;
using System.Runtime.CompilerServices;

namespace Cms.Core.Storage;

/// <summary>
/// Commands prepared once per connection and reused: preparing (SQLite's parse and plan) cost as much as executing
/// for the hot path's small INSERTs. The group-commit writer keeps its connection open, so its statements live as long
/// as the writer; on a short-lived connection the cache simply dies with it (closing a connection finalizes its statements).
/// The group writer's hottest statements go through <see cref="HotStatements"/> instead (raw SQLite binding).
/// </summary>
public static class PreparedStatements
{
    private static readonly ConditionalWeakTable<DbConnection, Dictionary<string, DbCommand>> Cache = new();

    /// <summary>The command for this SQL on this connection, with one parameter per name (values reset to NULL),
    /// prepared on first use. Never dispose it; set parameters by index in the order of <paramref name="parameterNames"/>.</summary>
    public static DbCommand Prepared(this DbConnection conn, DbTransaction tx, string sql, IReadOnlyList<string> parameterNames)
    {
        var commands = Cache.GetOrCreateValue(conn);
        if (!commands.TryGetValue(sql, out var cmd))
        {
            cmd = conn.CreateCommand();
            cmd.CommandText = sql;
            foreach (var name in parameterNames)
            {
                var p = cmd.CreateParameter();
                p.ParameterName = "@" + name;
                cmd.Parameters.Add(p);
            }
            cmd.Transaction = tx;
            cmd.Prepare();
            commands[sql] = cmd;
        }
        cmd.Transaction = tx;
        for (var i = 0; i < cmd.Parameters.Count; i++) cmd.Parameters[i].Value = DBNull.Value;
        return cmd;
    }
}
