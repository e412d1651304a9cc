using System.Collections;
using System.Data.Common;
using System.Globalization;

namespace Cms.Core.Storage.Postgres;

/// <summary>
/// Rows from PostgreSQL typed as SQLite returns them: every integer (int2/int4, and booleans from comparisons) as
/// long, every non-integer number (float4, numeric: SUM of integers, literals like 1.0) as double. The store's code
/// and its Dapper records were written against those two types; this keeps one set of record shapes for both engines.
/// </summary>
public sealed class PgStoreReader(DbDataReader inner) : DbDataReader
{
    public static object? SqliteValue(object? value) => value switch
    {
        int i => (long)i,
        short s => (long)s,
        bool b => b ? 1L : 0L,
        decimal d => (double)d,
        float f => (double)f,
        _ => value,
    };

    private static Type SqliteType(Type type) =>
        type == typeof(int) || type == typeof(short) || type == typeof(bool) ? typeof(long)
        : type == typeof(decimal) || type == typeof(float) ? typeof(double)
        : type;

    public override object GetValue(int ordinal) => SqliteValue(inner.GetValue(ordinal))!;
    public override Type GetFieldType(int ordinal) => SqliteType(inner.GetFieldType(ordinal));
    public override object this[int ordinal] => GetValue(ordinal);
    public override object this[string name] => GetValue(GetOrdinal(name));

    public override int GetValues(object[] values)
    {
        var n = Math.Min(values.Length, FieldCount);
        for (var i = 0; i < n; i++) values[i] = GetValue(i);
        return n;
    }

    public override T GetFieldValue<T>(int ordinal)
    {
        var value = GetValue(ordinal);
        if (value is T typed) return typed;
        var target = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        return (T)Convert.ChangeType(value, target, CultureInfo.InvariantCulture);
    }

    public override Task<T> GetFieldValueAsync<T>(int ordinal, CancellationToken cancellationToken) => Task.FromResult(GetFieldValue<T>(ordinal));

    public override long GetInt64(int ordinal) => Convert.ToInt64(inner.GetValue(ordinal), CultureInfo.InvariantCulture);
    public override int GetInt32(int ordinal) => Convert.ToInt32(inner.GetValue(ordinal), CultureInfo.InvariantCulture);
    public override short GetInt16(int ordinal) => Convert.ToInt16(inner.GetValue(ordinal), CultureInfo.InvariantCulture);
    public override double GetDouble(int ordinal) => Convert.ToDouble(inner.GetValue(ordinal), CultureInfo.InvariantCulture);
    public override float GetFloat(int ordinal) => Convert.ToSingle(inner.GetValue(ordinal), CultureInfo.InvariantCulture);
    public override decimal GetDecimal(int ordinal) => Convert.ToDecimal(inner.GetValue(ordinal), CultureInfo.InvariantCulture);
    public override bool GetBoolean(int ordinal) => Convert.ToBoolean(inner.GetValue(ordinal), CultureInfo.InvariantCulture);
    public override byte GetByte(int ordinal) => Convert.ToByte(inner.GetValue(ordinal), CultureInfo.InvariantCulture);
    public override string GetString(int ordinal) => inner.GetString(ordinal);
    public override char GetChar(int ordinal) => inner.GetChar(ordinal);
    public override DateTime GetDateTime(int ordinal) => inner.GetDateTime(ordinal);
    public override Guid GetGuid(int ordinal) => inner.GetGuid(ordinal);
    public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length) =>
        inner.GetBytes(ordinal, dataOffset, buffer, bufferOffset, length);
    public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length) =>
        inner.GetChars(ordinal, dataOffset, buffer, bufferOffset, length);

    public override string GetDataTypeName(int ordinal) => inner.GetDataTypeName(ordinal);
    public override string GetName(int ordinal) => inner.GetName(ordinal);
    public override int GetOrdinal(string name) => inner.GetOrdinal(name);
    public override bool IsDBNull(int ordinal) => inner.IsDBNull(ordinal);
    public override Task<bool> IsDBNullAsync(int ordinal, CancellationToken cancellationToken) => inner.IsDBNullAsync(ordinal, cancellationToken);
    public override int Depth => inner.Depth;
    public override int FieldCount => inner.FieldCount;
    public override bool HasRows => inner.HasRows;
    public override bool IsClosed => inner.IsClosed;
    public override int RecordsAffected => inner.RecordsAffected;
    public override bool Read() => inner.Read();
    public override Task<bool> ReadAsync(CancellationToken cancellationToken) => inner.ReadAsync(cancellationToken);
    public override bool NextResult() => inner.NextResult();
    public override Task<bool> NextResultAsync(CancellationToken cancellationToken) => inner.NextResultAsync(cancellationToken);
    public override IEnumerator GetEnumerator() => new DbEnumerator(this, closeReader: false);
    public override void Close() => inner.Close();
    public override Task CloseAsync() => inner.CloseAsync();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync();
        await base.DisposeAsync();
    }
}
