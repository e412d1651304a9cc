namespace Cms.Core.Domain.MeterValues;

/// <summary>One charger message's readings as <see cref="DeferredReadings"/> logs and stores them: meter_readings rows
/// ready to insert, and what they change in their session.</summary>
public sealed record DeferredReading(
    string CustomerId, string ChargePointId, long ConnectorNumber, string? ConnectorId, string NetworkId, string? SessionId,
    long? TransactionId, string? VehicleId, string Created, IReadOnlyList<ReadingRow> Rows, SessionChange Change)
{
    /// <summary>Run once the readings are committed, on the thread that saw the commit (not logged: a replay runs none).</summary>
    public Action? Committed { get; init; }

    /// <summary>The record for the ack log, written through a writer kept per thread (this runs for every charger message):
    /// the writer's own bytes, valid until this thread encodes the next record.</summary>
    public ReadOnlySpan<byte> Encode()
    {
        var w = Storage.AckRecordWriter.Start();
        w.Write(CustomerId); w.Write(ChargePointId); w.Write(ConnectorNumber); w.WriteOptional(ConnectorId); w.Write(NetworkId);
        w.WriteOptional(SessionId); w.WriteOptional(TransactionId); w.WriteOptional(VehicleId); w.Write(Created);
        w.Write(Rows.Count);
        for (var i = 0; i < Rows.Count; i++) { w.Write(Rows[i].Id); w.Write(Rows[i].Timestamp); w.Write(Rows[i].Samples); }
        w.WriteOptional(Change.Low); w.WriteOptional(Change.High); w.WriteOptional(Change.Kw); w.WriteOptional(Change.At);
        return w.Written();
    }

    public static DeferredReading Decode(byte[] record)
    {
        using var r = new BinaryReader(new MemoryStream(record));
        var customerId = r.ReadString(); var chargePointId = r.ReadString(); var connectorNumber = r.ReadInt64();
        var connectorId = OptionalString(r); var networkId = r.ReadString();
        var sessionId = OptionalString(r); var transactionId = r.ReadBoolean() ? r.ReadInt64() : (long?)null;
        var vehicleId = OptionalString(r); var created = r.ReadString();
        var rows = new ReadingRow[r.ReadInt32()];
        for (var i = 0; i < rows.Length; i++) rows[i] = new ReadingRow(r.ReadString(), r.ReadString(), r.ReadString());
        var change = new SessionChange(OptionalDouble(r), OptionalDouble(r), OptionalDouble(r), OptionalString(r));
        return new DeferredReading(customerId, chargePointId, connectorNumber, connectorId, networkId, sessionId, transactionId,
            vehicleId, created, rows, change);
    }

    private static string? OptionalString(BinaryReader r) => r.ReadBoolean() ? r.ReadString() : null;

    private static double? OptionalDouble(BinaryReader r) => r.ReadBoolean() ? r.ReadDouble() : null;
}

/// <summary>One meter_readings row: its id, the reading's timestamp and its samples (see <see cref="MeterReading"/>).</summary>
public sealed record ReadingRow(string Id, string Timestamp, string Samples);

/// <summary>What a message's readings change in their session: the lowest and highest energy register (kWh), and the
/// newest measured power (kW) with its timestamp (ISO, sorts as text), if it is to be taken.</summary>
public sealed record SessionChange(double? Low, double? High, double? Kw, string? At)
{
    public bool Any => High is not null || Kw is not null;

    public static SessionChange Merge(SessionChange a, SessionChange b)
    {
        var newer = b.At is not null && (a.At is null || string.CompareOrdinal(b.At, a.At) >= 0) ? b : a;
        return new(Min(a.Low, b.Low), Max(a.High, b.High), newer.Kw, newer.At);
    }

    private static double? Min(double? a, double? b) => a is null ? b : b is null ? a : Math.Min(a.Value, b.Value);
    private static double? Max(double? a, double? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);
}
