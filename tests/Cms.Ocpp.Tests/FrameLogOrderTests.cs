using System.Net.WebSockets;
using Cms.Ocpp.Connection;
using Cms.Ocpp.Schemas;
using Cms.Ocpp.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using Newtonsoft.Json.Linq;

namespace Cms.Ocpp.Tests;

/// <summary>A frame we send is logged before it is handed to the socket, not once the send returned: a fast charger's
/// answer can be read and logged before our send returns, and the log must still list the CALL before its answer
/// (the sequential-delivery tests replay the log in time order and failed when it did not), and hold it by the time
/// whoever made the call has the answer (the message-log test lists right after).</summary>
public class FrameLogOrderTests
{
    [Fact]
    public async Task A_call_is_logged_before_it_is_handed_to_the_socket()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero));
        var log = new RecordingFrameLog();
        var loggedAtWrite = new List<int>();
        await using var stream = new SlowWriteStream(time, TimeSpan.FromSeconds(1), () => loggedAtWrite.Add(log.Entries.Count));
        using var socket = WebSocket.CreateFromStream(stream, new WebSocketCreationOptions { IsServer = true });
        var info = new OcppConnectionInfo("c1", "", "CP1", OcppVersion.Ocpp16, null, time.GetUtcNow(), null);
        var connection = new OcppConnection(socket, info, new TestCallHandler(), new SchemaValidator(), frameLog: log, time: time);
        using var stop = new CancellationTokenSource();
        var run = connection.RunAsync(stop.Token);

        var handedOver = time.GetUtcNow();
        _ = connection.CallAsync("Reset", new JObject { ["type"] = "Soft" });
        await stream.Written.WaitAsync(WsClient.Wait);

        var logged = Assert.Single(log.Entries);
        Assert.Equal((OcppFrameDirection.Outgoing, "Reset"), (logged.Direction, logged.Action));
        Assert.Equal(handedOver.AddSeconds(1), time.GetUtcNow()); // the send took a second of the charger's time
        Assert.Equal(handedOver, logged.Timestamp);
        Assert.Equal([1], loggedAtWrite); // one write, and the CALL was in the log before it
        stop.Cancel();
        await run.WaitAsync(WsClient.Wait);
    }

    /// <summary>A socket stream whose writes call <paramref name="onWrite"/> and take <paramref name="perWrite"/> of fake
    /// time, and whose reads wait until cancelled.</summary>
    sealed class SlowWriteStream(FakeTimeProvider time, TimeSpan perWrite, Action onWrite) : Stream
    {
        readonly TaskCompletionSource _written = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Completes once the first write is done (its fake time taken).</summary>
        public Task Written => _written.Task;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return 0;
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            onWrite();
            time.Advance(perWrite);
            _written.TrySetResult();
            return ValueTask.CompletedTask;
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
