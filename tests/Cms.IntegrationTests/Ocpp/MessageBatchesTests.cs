using System.Globalization;
using Cms.Core.Domain;
using Cms.Core.Domain.Ocpp;
using Cms.Core.Resources;
using Cms.Core.Storage;
using Cms.Core.Time;
using Cms.IntegrationTests.Harness;
using Cms.Ocpp.Tests.Support;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Linq;

namespace Cms.IntegrationTests.Ocpp;

/// <summary>
/// The message log is stored one row per charger per flush since migration 072 (ocpp_message_batches) and listed per
/// frame as before: every frame with its own id and its exact text, its filters (time included) as before; frames
/// logged before the upgrade (ocpp_messages and its old journal) read back unchanged.
/// </summary>
public sealed class MessageBatchesTests
{
    private static readonly string[] Ocpp16 = ["ocpp1.6"];

    /// <summary>Text a JSON column could easily get wrong: quotes, backslashes, escapes, non-ASCII, a JSON-looking string.</summary>
    private static readonly string[] Awkward =
        ["say \"hi\"", "C:\\path\\", "line\nbreak\ttab", "Zürich – 東京 – 🚗", "[1,2,{\"a\":null}]", "\\u0041 not an escape", ""];

    [Fact]
    public async Task A_charger_s_frames_are_few_rows_and_each_lists_with_its_own_id_its_exact_text_and_the_filters()
    {
        await using var host = await TestHost.StartAsync();
        var api = host.Admin;
        var (_, cpId, ocppId) = await OcppKit.ChargePointAsync(api, "batches");
        await using (var charger = await WsClient.ConnectAsync(host.OcppUri($"ocpp/{ocppId}"), Ocpp16))
        {
            for (var i = 0; i < 150; i++)
            {
                var data = Awkward[i % Awkward.Length] + i.ToString(CultureInfo.InvariantCulture);
                await charger.CallAsync($"m{i}", "DataTransfer",
                    new JObject { ["vendorId"] = "test", ["data"] = data }.ToString(Newtonsoft.Json.Formatting.None));
            }
        }

        var listed = await api.Get($"/v2/ocpp_messages?chargepoint={cpId}&limit=1000");
        Assert.Equal(300, listed.Total);
        var frames = listed.Data.Cast<JObject>().ToList();
        Assert.Equal(300, frames.Select(f => (string)f["id"]!).Distinct().Count());
        var times = frames.Select(f => (string)f["timestamp"]!).ToList();
        Assert.Equal(times.Order(StringComparer.Ordinal).Reverse(), times); // newest first
        for (var i = 0; i < 150; i++)
        {
            var call = Assert.Single(frames, f => (string?)f["messageId"] == $"m{i}" && (string?)f["messageType"] == "Call");
            Assert.Equal(Awkward[i % Awkward.Length] + i.ToString(CultureInfo.InvariantCulture), (string?)call["body"]![3]!["data"]);
            Assert.Equal("Charger", (string?)call["source"]);
            Assert.Equal("DataTransfer", (string?)call["operationType"]);
            Assert.Equal(ocppId, (string?)call["ocppId"]);
        }
        var rows = await host.Services.GetRequiredService<Database>().ReadAsync(c => c.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM ocpp_message_batches WHERE \"chargePointId\" = @cpId", new { cpId }));
        Assert.InRange(rows, 1, 30); // a flush a second, and a row every ~32,000 characters

        // start and end (both inclusive) against a frame's own time, whichever batch it is in.
        var oldestFirst = times.AsEnumerable().Reverse().ToList();
        var from = oldestFirst[97];
        var to = oldestFirst[211];
        var ranged = await api.Get($"/v2/ocpp_messages?chargepoint={cpId}&limit=1000&start={Uri.EscapeDataString(from)}&end={Uri.EscapeDataString(to)}");
        Assert.Equal(oldestFirst.Count(t => string.CompareOrdinal(t, from) >= 0 && string.CompareOrdinal(t, to) <= 0), ranged.Total);
        Assert.All(ranged.Data, f => Assert.InRange(string.CompareOrdinal((string)f["timestamp"]!, from), 0, int.MaxValue));
        var answers = await api.Get($"/v2/ocpp_messages?chargepoint={cpId}&messageType=CallResult&sort=timestamp:asc&limit=2&offset=10");
        Assert.Equal(150, answers.Total);
        Assert.Equal(["m10", "m11"], answers.Data.Select(f => (string)f["messageId"]!));
    }

    [Fact]
    public async Task Frames_of_the_old_table_and_journal_read_back_unchanged_after_the_upgrade()
    {
        await using var store = await TestStore.CreateEmptyAsync();
        await using var db = store.Open();
        await Migrations.ApplyAsync(db, before: "072");
        // Journal frames of charge points a, b and none; a move was cut short after its first part ('' and a up to seq 4 copied).
        var journal = Enumerable.Range(1, 6).Select(seq => OldFrame(seq, (seq % 3) switch { 0 => null, 1 => "a", _ => "b" })).ToList();
        var indexed = new[] { OldFrame(10, "a"), OldFrame(11, null) }.Concat(journal.Where(f => f.Seq <= 4 && f.Cp is null or "a")).ToList();
        await db.WriteAsync(async (c, tx) =>
        {
            foreach (var f in indexed) await c.ExecuteAsync(InsertOld("ocpp_messages"), f.Row, tx);
            foreach (var f in journal) await c.ExecuteAsync(InsertOld("ocpp_messages_journal", seq: true), f.Row, tx);
            return await c.ExecuteAsync("INSERT INTO journal_moves (\"journal\", \"movedTo\", \"movedBelow\") VALUES ('ocpp_messages_journal', 4, 'b')", transaction: tx);
        });
        var all = $"SELECT {string.Join(", ", OldColumns.Select(c => $"\"{c}\""))} FROM ocpp_messages_all ORDER BY \"timestamp\", id";
        var before = await ReadAllAsync(db, all);
        Assert.Equal(8, before.Count);

        await db.MigrateAsync();

        Assert.Equal(before, await ReadAllAsync(db, all));
        Assert.Equal(0, await db.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM journal_moves")));
        await Assert.ThrowsAnyAsync<Exception>(() => db.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM ocpp_messages_journal")));
    }

    [Fact]
    public async Task Every_page_and_total_is_that_of_the_plain_list_whatever_the_sort_filters_and_offset()
    {
        await using var store = await TestStore.CreateAsync();
        await using var db = await store.OpenMigratedAsync();
        var core = new CoreContext(db, TimeProvider.System, new GuidIdGenerator(), new DomainEvents());
        var log = new OcppMessageLog(core);
        // Old per-frame rows (before the batches), then 12 flushes of two chargers' frames, times tied across batches; b's
        // batches overlap each other's and a's spans in time (as a clock set back would make them).
        await db.WriteAsync(async (c, tx) =>
        {
            for (var seq = 1; seq <= 9; seq++) await c.ExecuteAsync(InsertOld("ocpp_messages"), OldFrame(seq, seq % 2 == 0 ? A : B).Row, tx);
            return 0;
        });
        var t0 = new DateTimeOffset(2026, 1, 2, 0, 0, 0, TimeSpan.Zero);
        for (var flush = 0; flush < 12; flush++)
        {
            for (var i = 0; i < 2 + flush % 5; i++)
                foreach (var cp in new[] { A, B })
                    log.Append(new OcppMessageRecord("c", cp, cp == A ? "ocpp-a" : "ocpp-b", cp == A ? t0.AddSeconds(flush * 10 + i / 2) : t0.AddSeconds((flush * 37 + i * 13) % 125), i % 3 == 0 ? "AmpCMS" : "Charger",
                        i % 2 == 0 ? "Call" : "CallResult", "Heartbeat", $"{flush}-{i}", flush == 7 ? "ocpp2.0.1" : "ocpp1.6", "[]", null));
            await log.FlushAsync();
        }

        // Customer d: a batch of a (a call at 120 s, an answer at 10 s), one of b (an answer at 50 s), then one of b (calls
        // at 119 and 121 s). The newest answer is b's at 50: a window from 119 s on holds no answer, and one taking a's
        // whole batch for its last time would show a's at 10 instead.
        foreach (var (cp, seconds, type) in new[] { (A, 120, "Call"), (A, 10, "CallResult"), (B, 50, "CallResult") })
            log.Append(new OcppMessageRecord("d", cp, "ocpp-d", t0.AddSeconds(seconds), "Charger", type, "Heartbeat", $"d{seconds}", "ocpp1.6", "[]", null));
        await log.FlushAsync();
        foreach (var seconds in new[] { 119, 121 })
            log.Append(new OcppMessageRecord("d", B, "ocpp-d", t0.AddSeconds(seconds), "Charger", "Call", "Heartbeat", $"d{seconds}", "ocpp1.6", "[]", null));
        await log.FlushAsync();

        var spec = OcppMessageResource.Spec;
        var requests = new List<ListRequest>();
        foreach (var sort in new string?[] { null, "timestamp:asc", "timestamp:desc", "source:asc" })
        foreach (var (limit, offset) in new[] { (1, 0), (5, 0), (5, 7), (20, 30), (100, 0), (3, 200) })
        foreach (var filters in new Dictionary<string, IReadOnlyList<string>>[]
                 {
                     new(), new() { ["chargepoint"] = [A] }, new() { ["messageType"] = ["CallResult"] },
                     new() { ["protocol"] = ["ocpp2.0.1"] }, new() { ["chargepoint"] = [B], ["source"] = ["AmpCMS"] },
                     new() { ["start"] = [Iso.Format(t0.AddSeconds(31))], ["end"] = [Iso.Format(t0.AddSeconds(80))] },
                 })
            requests.Add(new ListRequest { Sort = sort, Limit = limit, Offset = offset, Filters = filters });

        foreach (var customer in new[] { "c", "d" })
        foreach (var request in requests)
        {
            var (plain, plainTotal) = await db.ReadAsync(c => ResourceStore.ListAsync(c, spec, customer, request));
            var (fast, fastTotal) = await db.ReadAsync(c => OcppMessageList.ListAsync(c, spec, customer, request));
            var what = $"{customer}: sort {request.Sort}, {request.Limit} from {request.Offset}, {string.Join(" ", request.Filters.Select(f => f.Key + "=" + f.Value[0]))}";
            Assert.True(plainTotal == fastTotal, $"{what}: total {fastTotal}, expected {plainTotal}");
            Assert.True(plain.Select(r => (string)r["id"]!).SequenceEqual(fast.Select(r => (string)r["id"]!)), $"{what}: another page");
        }
        var newestAnswer = await db.ReadAsync(c => OcppMessageList.ListAsync(c, spec, "d",
            new ListRequest { Limit = 1, Filters = new Dictionary<string, IReadOnlyList<string>> { ["messageType"] = ["CallResult"] } }));
        Assert.Equal("d50", (string?)Assert.Single(newestAnswer.Rows)["messageId"]);
        Assert.Equal(9 + 2 * Enumerable.Range(0, 12).Sum(f => 2 + f % 5),
            (await db.ReadAsync(c => OcppMessageList.ListAsync(c, spec, "c", new ListRequest()))).Total);
    }

    private const string A = "00000000-0000-4000-8000-00000000000a", B = "00000000-0000-4000-8000-00000000000b";

    private static readonly string[] OldColumns =
        ["id", "customerId", "created", "chargePointId", "ocppId", "timestamp", "source", "messageType", "operationType", "messageId", "protocol", "body", "url"];

    private static string InsertOld(string table, bool seq = false) =>
        $"INSERT INTO {table} ({(seq ? "seq, " : "")}{string.Join(", ", OldColumns.Select(c => $"\"{c}\""))}) " +
        $"VALUES ({(seq ? "@seq, " : "")}{string.Join(", ", OldColumns.Select(c => "@" + c))})";

    private static (long Seq, string? Cp, object Row) OldFrame(long seq, string? cp) => (seq, cp, new
    {
        seq, id = Guid.NewGuid().ToString(), customerId = "c", created = "2026-01-01T00:00:00.000000+00:00", chargePointId = cp,
        ocppId = cp ?? "unknown", timestamp = $"2026-01-01T00:00:{seq % 4:00}.000000+00:00", source = seq % 2 == 0 ? "AmpCMS" : "Charger",
        messageType = seq % 2 == 0 ? "CallResult" : "Call", operationType = "Heartbeat", messageId = $"m{seq}", protocol = "ocpp1.6",
        body = seq % 2 == 0 ? $"[3,\"m{seq}\",{{}}]" : $"[2,\"m{seq}\",\"Heartbeat\",{{}}]", url = seq == 3 ? "ws://x/y" : null,
    });

    private static async Task<List<string>> ReadAllAsync(Database db, string sql) =>
        (await db.ReadAsync(c => c.QueryAsync(sql))).Select(r => string.Join("|", ((IDictionary<string, object?>)r).Select(kv =>
            $"{kv.Key}={Convert.ToString(kv.Value, CultureInfo.InvariantCulture)}"))).ToList();
}
