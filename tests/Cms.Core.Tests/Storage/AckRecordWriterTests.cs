using Cms.Core.Domain.MeterValues;
using Cms.Core.Storage;

namespace Cms.Core.Tests.Storage;

/// <summary>The ack log's record writer writes BinaryWriter's bytes exactly: records of the previous build read back,
/// and BinaryReader reads these.</summary>
public sealed class AckRecordWriterTests
{
    public static TheoryData<int> StringLengths() => [0, 1, 127, 128, 16_383, 16_384, 70_000];

    [Theory]
    [MemberData(nameof(StringLengths))]
    public void Strings_of_every_length_prefix_and_every_kind_of_value_are_written_as_BinaryWriter_writes_them(int length)
    {
        var ascii = new string('x', length);
        var mixed = string.Concat(Enumerable.Repeat("é€😀a", length / 10 + 1)); // 2-, 3- and 4-byte characters

        var writer = AckRecordWriter.Start();
        writer.Write(ascii); writer.Write(mixed); writer.Write(true); writer.Write(false);
        writer.Write(-7); writer.Write(long.MinValue); writer.Write(-0.1); writer.Write(double.NaN);
        writer.WriteOptional((string?)null); writer.WriteOptional("ok"); writer.WriteOptional((long?)null); writer.WriteOptional(42L);
        writer.WriteOptional((double?)null); writer.WriteOptional(2.5);
        var ours = writer.Written().ToArray();

        using var stream = new MemoryStream();
        using (var reference = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            reference.Write(ascii); reference.Write(mixed); reference.Write(true); reference.Write(false);
            reference.Write(-7); reference.Write(long.MinValue); reference.Write(-0.1); reference.Write(double.NaN);
            reference.Write(false); reference.Write(true); reference.Write("ok"); reference.Write(false); reference.Write(true); reference.Write(42L);
            reference.Write(false); reference.Write(true); reference.Write(2.5);
        }
        Assert.Equal(stream.ToArray(), ours);
    }

    [Fact]
    public void A_deferred_reading_decodes_as_it_was_encoded_and_the_next_record_starts_empty()
    {
        var reading = new DeferredReading("customer", "cp-é", 2, null, "network", "session", 17, null, "2030-01-07T08:00:00.000Z",
            [new ReadingRow("r1", "2030-01-07T07:59:00.000Z", "[[\"Energy.Active.Import.Register\",null,\"kWh\",null,null,null,12.5]]"),
             new ReadingRow("r2", "2030-01-07T08:00:00.000Z", "[]")],
            new SessionChange(12.5, 12.5, null, "2030-01-07T08:00:00.000Z"));
        var first = reading.Encode().ToArray();
        var second = reading.Encode().ToArray();
        Assert.Equal(first, second);

        var decoded = DeferredReading.Decode(first);
        Assert.Equal(reading with { Rows = decoded.Rows }, decoded);
        Assert.Equal(reading.Rows, decoded.Rows);
    }
}
