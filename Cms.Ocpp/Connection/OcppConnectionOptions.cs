namespace Cms.Ocpp.Connection;

public sealed class OcppConnectionOptions
{
    /// <summary>How long a server→charger CALL waits for its answer, counted from when it is sent.</summary>
    public TimeSpan DefaultCallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>WebSocket ping period. OCPP chargers answer pings in their WebSocket stack.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A connection whose pong does not arrive within this is aborted (dead-connection detection).
    /// Zero disables it.</summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Bigger incoming messages close the connection (1009) instead of filling memory.</summary>
    public int MaxMessageBytes { get; set; } = 1024 * 1024;

    /// <summary>A charger whose last <see cref="OcppConnection.BackToBackMessages"/> messages each came within this of the
    /// one before is read straight into a buffer (one read per message); any other waits for its next message with a
    /// zero-byte read and holds no buffer while quiet. Zero: always the zero-byte read.</summary>
    public TimeSpan BackToBackGap { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>A send that cannot complete this long (the charger stopped reading) aborts the connection.</summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long a close handshake may take before the socket is aborted.</summary>
    public TimeSpan CloseTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Produces ids for outgoing CALLs (OCPP: at most 36 characters, unique per connection).</summary>
    public Func<string> MessageIdFactory { get; set; } = () => Guid.NewGuid().ToString("D");
}
