using System.Text;
using Cms.Core.Storage;

namespace Cms.Core.Tests.Storage;

/// <summary>The file of records acknowledged before their commit: what a start reads back of it.</summary>
public sealed class AckLogTests : IDisposable
{
    private readonly string _store = Path.Combine(Path.GetTempPath(), "ampcms-acklog-" + Guid.NewGuid().ToString("N"), "ampcms.db");

    public AckLogTests() => Directory.CreateDirectory(Path.GetDirectoryName(_store)!);

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_store)!, recursive: true);

    private static byte[] Record(int i) => Encoding.UTF8.GetBytes($"record {i} " + new string('x', i % 7));

    private static List<string> Texts(IEnumerable<byte[]> records) => records.Select(Encoding.UTF8.GetString).Order().ToList();

    /// <summary>As a start-up opens it: what it holds read (and replayed by the caller), then cleared.</summary>
    private AckLog OpenCleared()
    {
        var log = AckLog.TryOpen(_store)!;
        log.ReadAll();
        log.Clear();
        return log;
    }

    [Fact]
    public void Records_appended_by_one_process_are_read_back_by_the_next()
    {
        using (var log = OpenCleared())
            for (var i = 0; i < 100; i++) log.Append(Record(i));
        using var again = AckLog.TryOpen(_store)!;
        Assert.Equal(Texts(Enumerable.Range(0, 100).Select(Record)), Texts(again.ReadAll()));
        Assert.Throws<InvalidOperationException>(() => again.Append(Record(0))); // not before it is cleared
        again.Clear();
        Assert.Empty(again.ReadAll());
    }

    [Fact]
    public void Records_of_an_emptied_file_s_previous_turn_do_not_read_back_though_its_pages_still_hold_them()
    {
        using var log = OpenCleared();
        var big = new byte[1 << 20];
        for (var i = 0; i < 8; i++) log.Append(big);
        Assert.Equal(1, log.Append(Record(1))); // the first file is past 8 MiB: the second takes over
        log.Committed(0, 8); // the first is emptied
        log.Committed(1, 1);
        for (var i = 0; i < 8; i++) log.Append(big); // the second is past 8 MiB too
        Assert.Equal(0, log.Append(Record(2))); // the first again: its new record over the old ones
        Assert.Equal(Enumerable.Repeat(Encoding.UTF8.GetString(big), 8).Append(Encoding.UTF8.GetString(Record(1))).Append(Encoding.UTF8.GetString(Record(2))).Order(),
            Texts(log.ReadAll()));
    }

    [Fact]
    public void A_file_of_the_previous_version_one_write_per_record_is_read_back()
    {
        var path = _store + AckLog.Suffixes[0];
        using (var old = File.Create(path))
            foreach (var record in new[] { Record(0), Record(1) })
            {
                var header = new byte[8];
                System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(header, record.Length);
                var hash = 2166136261u; // FNV-1a, unseeded
                foreach (var b in record) hash = (hash ^ b) * 16777619u;
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), hash);
                old.Write(header);
                old.Write(record);
            }
        using var log = AckLog.TryOpen(_store)!;
        Assert.Equal(Texts([Record(0), Record(1)]), Texts(log.ReadAll()));
    }

    [Fact]
    public void A_mapped_file_of_the_previous_version_with_fnv_checksums_is_read_back()
    {
        const long epoch = 0x1234_5678_9ABC_DEF0;
        var file = new List<byte>();
        var header = new byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(header, 0x324B4341); // "ACK2"
        System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(8), epoch);
        file.AddRange(header);
        foreach (var record in new[] { Record(3), Record(4) })
        {
            var recordHeader = new byte[8];
            System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(recordHeader, record.Length);
            var hash = 2166136261u ^ unchecked((uint)epoch) ^ (uint)(epoch >> 32); // FNV-1a seeded with the epoch
            foreach (var b in record) hash = (hash ^ b) * 16777619u;
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(recordHeader.AsSpan(4), hash);
            file.AddRange(recordHeader);
            file.AddRange(record);
        }
        file.AddRange(new byte[4096]); // the rest of the mapping, zeros
        File.WriteAllBytes(_store + AckLog.Suffixes[1], [.. file]);

        using var log = AckLog.TryOpen(_store)!;
        Assert.Equal(Texts([Record(3), Record(4)]), Texts(log.ReadAll()));
    }

    [Fact]
    public void A_record_cut_short_or_damaged_ends_the_replay_of_its_file()
    {
        int end;
        using (var log = OpenCleared())
        {
            for (var i = 0; i < 2; i++) log.Append(Record(i));
            end = 16 + Enumerable.Range(0, 3).Sum(i => 8 + Record(i).Length); // the file's header, then each record's
            log.Append(Record(2));
        }
        var path = _store + AckLog.Suffixes[0];
        var bytes = File.ReadAllBytes(path);
        var torn = bytes.ToArray();
        Array.Clear(torn, end - 2, 2); // the last record lost its last two bytes in the crash
        File.WriteAllBytes(path, torn);
        using (var tornLog = AckLog.TryOpen(_store)!)
            Assert.Equal(Texts([Record(0), Record(1)]), Texts(tornLog.ReadAll()));

        bytes[end - 1] ^= 0xFF; // a damaged byte: the checksum no longer matches
        File.WriteAllBytes(path, bytes);
        using var damaged = AckLog.TryOpen(_store)!;
        Assert.Equal(Texts([Record(0), Record(1)]), Texts(damaged.ReadAll()));
    }

    [Fact]
    public void A_second_holder_of_the_same_store_gets_none()
    {
        using var first = AckLog.TryOpen(_store);
        Assert.NotNull(first);
        Assert.Null(AckLog.TryOpen(_store));
    }

    [Fact]
    public void Files_take_turns_and_one_whose_records_are_all_committed_is_emptied()
    {
        using var log = OpenCleared();
        var big = new byte[1 << 20];
        var files = new List<int>();
        for (var i = 0; i < 8; i++) files.Add(log.Append(big));
        Assert.All(files, f => Assert.Equal(0, f));
        var next = log.Append(Record(1)); // the first file is past 8 MiB: the other one takes over
        Assert.Equal(1, next);
        log.Committed(0, 8);
        Assert.Equal([Encoding.UTF8.GetString(Record(1))], Texts(log.ReadAll()));

        // Not emptied while one of its records waits for its commit, nor once they are all committed while it is current.
        log.Committed(1, 1);
        Assert.Equal([Encoding.UTF8.GetString(Record(1))], Texts(log.ReadAll()));
    }
}
