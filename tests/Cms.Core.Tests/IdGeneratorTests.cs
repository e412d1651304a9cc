using Cms.Core.Time;

namespace Cms.Core.Tests;

/// <summary>Resource ids are UUIDs that sort in the order they were made (so high-rate inserts append to their id index).</summary>
public class IdGeneratorTests
{
    [Fact]
    public void Ids_are_version_7_uuids_that_sort_in_creation_order()
    {
        var generator = new GuidIdGenerator();
        var ids = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            ids.Add(generator.NewId());
            Thread.Sleep(2); // the order is by millisecond; within one, the rest of the id is random
        }
        Assert.All(ids, id => Assert.Equal(7, Guid.Parse(id).Version));
        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
        Assert.NotEqual(generator.NewId(), generator.NewId());
    }

    [Fact]
    public void Ids_carry_the_creation_time_and_the_version_7_variant_bits()
    {
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var id = new GuidIdGenerator().NewId();
        var after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var ms = Convert.ToInt64(id.Replace("-", "")[..12], 16);
        Assert.InRange(ms, before, after);
        Assert.Equal('7', id[14]);
        Assert.Contains(id[19].ToString(), "89ab"); // RFC 9562 variant 10xx
    }

    [Fact]
    public async Task Ids_made_across_many_buffer_refills_and_threads_never_repeat()
    {
        // 16 bytes per id from a 4 KiB buffer per thread: 20,000 ids per thread refill it ~80 times.
        var generator = new GuidIdGenerator();
        var perThread = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Enumerable.Range(0, 20_000).Select(_ => generator.NewId()).ToList())));
        var all = perThread.SelectMany(ids => ids).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
        // The random part differs between ids made in the same millisecond (no two share their last 62 bits).
        Assert.Equal(all.Count, all.Select(id => id[19..]).Distinct().Count());
    }
}
