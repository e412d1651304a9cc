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

    [Fact]
    public void Records_appended_by_one_process_are_read_back_by_the_next()
    {
        using (var log = AckLog.TryOpen(_store)!)
            for (var i = 0; i < 100; i++) log.Append(Record(i));
        using var again = AckLog.TryOpen(_store)!;
        Assert.Equal(Texts(Enumerable.Range(0, 100).Select(Record)), Texts(again.ReadAll()));
    }

    [Fact]
    public void A_record_cut_short_or_damaged_ends_the_replay_of_its_file()
    {
        using (var log = AckLog.TryOpen(_store)!)
            for (var i = 0; i < 3; i++) log.Append(Record(i));
        var path = _store + AckLog.Suffixes[0];
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^2]); // the last record lost its last two bytes in the crash
        using (var torn = AckLog.TryOpen(_store)!)
            Assert.Equal(Texts([Record(0), Record(1)]), Texts(torn.ReadAll()));

        bytes[bytes.Length - 1] ^= 0xFF; // a damaged byte: the checksum no longer matches
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
        using var log = AckLog.TryOpen(_store)!;
        var big = new byte[1 << 20];
        var files = new List<int>();
        for (var i = 0; i < 8; i++) files.Add(log.Append(big));
        Assert.All(files, f => Assert.Equal(0, f));
        var next = log.Append(Record(1)); // the first file is past 8 MiB: the other one takes over
        Assert.Equal(1, next);
        log.Committed(0, 8);
        Assert.Equal(0, new FileInfo(_store + AckLog.Suffixes[0]).Length);
        Assert.Equal([Encoding.UTF8.GetString(Record(1))], Texts(log.ReadAll()));

        // Not emptied while one of its records waits for its commit.
        log.Committed(1, 1);
        Assert.True(new FileInfo(_store + AckLog.Suffixes[1]).Length > 0, "the current file keeps its records");
    }
}
