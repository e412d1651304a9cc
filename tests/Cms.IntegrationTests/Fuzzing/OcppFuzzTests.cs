using System.Net.WebSockets;
using Cms.IntegrationTests.Harness;
using Cms.IntegrationTests.Ocpp;
using Cms.IntegrationTests.Robustness;
using Cms.Ocpp.Tests.Support;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using Xunit.Abstractions;

namespace Cms.IntegrationTests.Fuzzing;

/// <summary>
/// Seeded fuzzing of OCPP-J frames over a real WebSocket to the real host. Invariants: no frame under the size limit
/// ends the connection; every well-formed CALL gets exactly one answer, a response never gets one; every frame is in
/// the message log and every list still renders; sessions exist exactly for the transactions the charger was told about
/// (1.6), and none lies after now whatever the charger's clock said.
/// </summary>
public sealed class OcppFuzzTests(HostFixture fixture, ITestOutputHelper output) : IClassFixture<HostFixture>
{
    private const int ShortRun = 1500;
    /// <summary>Frames per Heartbeat that closes a batch; AMPCMS_FUZZ_BATCH=1 pins a failure on one frame.</summary>
    private static readonly int Batch = int.TryParse(Environment.GetEnvironmentVariable("AMPCMS_FUZZ_BATCH"), out var b) && b > 0 ? b : 20;
    private TestHost Host => fixture.Host;

    [Theory]
    [InlineData("ocpp1.6")]
    [InlineData("ocpp2.0.1")]
    public async Task Fuzzed_frames_never_break_the_connection_the_answers_or_the_lists(string protocol)
    {
        var run = FuzzRun.FromEnvironment();
        output.WriteLine($"fuzz seed {run.Seed}, {run.Count(ShortRun)} frames ({protocol})");
        var random = run.Stream(protocol);
        var fuzzer = new OcppFrameFuzzer(protocol, random);
        var (networkId, cpId, ocppId) = await OcppKit.ChargePointAsync(Host.Admin, "fuzz");
        await using var charger = await WsClient.ConnectAsync(Host.OcppUri($"ocpp/{ocppId}"), [protocol]);
        var exchange = new FuzzExchange(charger, run, run.Stream(protocol + " answers"));

        var frames = 0;
        var startedTransactions = new HashSet<long>();
        while (frames < run.Count(ShortRun))
        {
            var batch = Enumerable.Range(0, Math.Min(Batch, run.Count(ShortRun) - frames)).Select(_ => fuzzer.Next()).ToList();
            frames += batch.Count;
            foreach (var transactionId in await exchange.SendAndCheckAsync(batch))
                startedTransactions.Add(transactionId);
        }
        await exchange.SettleAsync();
        output.WriteLine($"{frames} frames sent ({exchange.TextFramesSent} text), {exchange.ServerCalls} server calls answered, {startedTransactions.Count} transactions started");

        // Every text frame the charger sent is in the message log, and the log renders.
        var log = await Host.Admin.Get($"/v2/ocpp_messages?chargepoint={cpId}&source=Charger&limit=1");
        run.Check(log.Status == 200, $"message log answered {log}", "");
        run.Check(log.Total == exchange.TextFramesSent, $"message log holds {log.Total} charger frames, {exchange.TextFramesSent} were sent", "");
        await AllListsRender(run, networkId);

        // Every session of the charger, whatever its clock said (it may say year 1: a start queued by a charger whose clock
        // was never set is still a session); none lies after now, whatever its clock said (it may say year 9999).
        var now = DateTimeOffset.UtcNow;
        var sessions = await Host.Admin.Get($"/v2/charging_sessions?network={networkId}&chargepoint={cpId}&start=0001-01-01T00:00:00Z&end=9999-12-31T23:59:59.999999Z&limit=1000");
        run.Check(sessions.Status == 200, $"sessions answered {sessions}", "");
        foreach (var session in sessions.Data)
        {
            var (start, end) = (OcppKit.Time(session["sessionStart"]), session["sessionEnd"]?.Type == JTokenType.String ? OcppKit.Time(session["sessionEnd"]) : (DateTimeOffset?)null);
            run.Check(start <= now && (end is null || (start <= end && end <= now)),
                $"transaction {session["transactionId"]}: session from {start:O} to {end:O}, not between its start and {now:O}", "");
        }
        if (protocol == "ocpp1.6")
        {
            var stored = sessions.Data.Select(s => (long?)s["transactionId"]).ToHashSet();
            run.Check(stored.SetEquals(startedTransactions.Cast<long?>()),
                $"sessions [{string.Join(",", stored)}] but the charger was given transactions [{string.Join(",", startedTransactions)}]", "");
        }

        // Only a frame over the size limit ends the connection, with 1009.
        await charger.Socket.SendAsync(OcppFrameFuzzer.Utf8(OcppFrameFuzzer.OverLimit()), WebSocketMessageType.Text, true, CancellationToken.None);
        var closed = await exchange.WaitForCloseAsync();
        run.Check(closed == WebSocketCloseStatus.MessageTooBig, $"over-limit frame closed with {closed}", "");
        await AllListsRender(run, networkId);
    }

    /// <summary>Every list the host maps renders (given a network where it needs one).</summary>
    private async Task AllListsRender(FuzzRun run, string networkId)
    {
        foreach (var path in MappedEndpoints.Of(Host).Where(e => e.Method == "GET" && !e.HasParameters).Select(e => e.Path))
        {
            var response = await Host.Admin.Get(path);
            if (response.Status == 400) response = await Host.Admin.Get($"{path}?network={networkId}");
            run.Check(response.Status < 500, $"GET {path} answered {response}", path);
        }
    }
}

/// <summary>Sends fuzzed frames on one connection and checks what comes back; answers the calls the CSMS makes meanwhile.</summary>
internal sealed class FuzzExchange(WsClient charger, FuzzRun run, Random random)
{
    private int _sentinels;

    public int TextFramesSent { get; private set; }
    public int ServerCalls { get; private set; }

    /// <summary>Sends the batch, then a Heartbeat: frames are answered in order, so its answer closes the batch's answers.</summary>
    /// <returns>Transaction ids handed to the charger in answers to StartTransaction.</returns>
    public async Task<List<long>> SendAndCheckAsync(List<FuzzFrame> batch)
    {
        var exact = new Dictionary<string, int>();
        var loose = new Dictionary<string, int>();
        var looseTotal = 0;
        foreach (var frame in batch)
        {
            var (owed, id) = OcppFrameFuzzer.Classify(frame);
            if (owed == Owed.ExactlyOne) exact[id!] = exact.GetValueOrDefault(id!) + 1;
            if (owed == Owed.AtMostOne)
            {
                looseTotal++;
                if (id is not null) loose[id] = loose.GetValueOrDefault(id) + 1;
            }
            await SendAsync(frame);
        }
        var (answers, transactions) = await ReceiveUntilSentinelAsync(string.Join("\n", batch));
        var input = string.Join("\n", batch);
        foreach (var (id, count) in exact)
            run.Check(answers.GetValueOrDefault(id) >= count, $"CALL {id} sent {count}× got {answers.GetValueOrDefault(id)} answers", input);
        foreach (var (id, count) in answers)
        {
            var allowed = exact.GetValueOrDefault(id) + (id == "-1" ? looseTotal : loose.GetValueOrDefault(id));
            run.Check(count <= allowed, $"{count} answers with id '{FuzzRun.Shorten(id)}', at most {allowed} owed", input);
        }
        return transactions;
    }

    /// <summary>One more Heartbeat, so the CSMS has read every answer we gave to its calls.</summary>
    public Task SettleAsync() => ReceiveUntilSentinelAsync("settle");

    private async Task SendAsync(FuzzFrame frame)
    {
        if (frame.Binary is { } bytes)
        {
            await charger.Socket.SendAsync(bytes, WebSocketMessageType.Binary, true, CancellationToken.None);
            return;
        }
        TextFramesSent++;
        if (frame.Pieces > 1) await charger.SendFragmentedAsync(frame.Text!, frame.Pieces);
        else await charger.SendAsync(frame.Text!);
    }

    private async Task<(Dictionary<string, int> Answers, List<long> Transactions)> ReceiveUntilSentinelAsync(string input)
    {
        var sentinel = "sentinel-" + ++_sentinels;
        await charger.SendAsync($"[2,\"{sentinel}\",\"Heartbeat\",{{}}]");
        TextFramesSent++;
        var answers = new Dictionary<string, int>();
        var transactions = new List<long>();
        while (true)
        {
            string? text;
            try { text = await charger.ReceiveAsync(); }
            catch (OperationCanceledException) { text = null; run.Check(false, "no answer to the batch's Heartbeat within 20 s", input); }
            run.Check(text is not null, $"the CSMS closed the connection ({charger.Socket.CloseStatus} {charger.Socket.CloseStatusDescription})", input);
            JArray frame;
            try { frame = ParseFrame(text!); }
            catch (JsonException) { frame = []; }
            run.Check(frame.Count >= 3 && frame[0].Type == JTokenType.Integer && frame[1].Type == JTokenType.String, $"the CSMS sent a malformed frame: {text}", input);
            var type = (int)frame[0];
            var id = (string)frame[1]!;
            if (type == 2)
            {
                await AnswerServerCallAsync(id);
                continue;
            }
            run.Check(type is 3 or 4, $"the CSMS sent message type {type}", input);
            if (id == sentinel)
            {
                run.Check(type == 3, $"Heartbeat answered {text}", input);
                return (answers, transactions);
            }
            answers[id] = answers.GetValueOrDefault(id) + 1;
            if (type == 3 && frame[2]?["transactionId"] is JValue { Type: JTokenType.Integer } tx) transactions.Add((long)tx);
        }
    }

    /// <summary>Mostly as a charger would, sometimes with an error or garbage; never silence (that would hold its line for the call timeout).</summary>
    private async Task AnswerServerCallAsync(string id)
    {
        ServerCalls++;
        TextFramesSent++;
        var reply = random.Next(10) switch
        {
            0 => $"[4,\"{id}\",\"InternalError\",\"fuzz\",{{}}]",
            1 => $"[3,\"{id}\",{JsonMutator.Mutate(new JObject { ["status"] = "Accepted" }, random).ToString(Formatting.None)}]",
            _ => $"[3,\"{id}\",{{\"status\":\"Accepted\"}}]",
        };
        if (!reply.StartsWith($"[3,\"{id}\",{{", StringComparison.Ordinal) && !reply.StartsWith("[4", StringComparison.Ordinal))
            reply = $"[3,\"{id}\",{{}}]"; // a mutation that is no longer an object is a different fuzz case
        await charger.SendAsync(reply);
    }

    /// <summary>Ids and dates stay the strings they were on the wire.</summary>
    private static JArray ParseFrame(string text)
    {
        using var reader = new JsonTextReader(new StringReader(text)) { DateParseHandling = DateParseHandling.None };
        return JArray.Load(reader);
    }

    /// <summary>Reads until the CSMS closes; returns its close status.</summary>
    public async Task<WebSocketCloseStatus?> WaitForCloseAsync()
    {
        while (true)
        {
            string? text;
            try { text = await charger.ReceiveAsync(); }
            catch (WebSocketException) { return charger.Socket.CloseStatus; }
            if (text is null) return charger.Socket.CloseStatus;
            var frame = ParseFrame(text);
            if ((int)frame[0] == 2) await AnswerServerCallAsync((string)frame[1]!);
        }
    }
}
