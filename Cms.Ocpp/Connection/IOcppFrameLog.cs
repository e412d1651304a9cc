using Cms.Ocpp.Framing;

namespace Cms.Ocpp.Connection;

public enum OcppFrameDirection
{
    /// <summary>Charger → us.</summary>
    Incoming,
    /// <summary>Us → charger.</summary>
    Outgoing,
}

/// <summary>
/// One frame as it crossed the wire. Action is filled for CALLs and, by correlation, for their
/// results/errors when known. MessageType/MessageId are null for frames that could not be parsed.
/// Source is the message log's label when the direction alone does not say it (a proxy relays "External" frames).
/// A struct: one is made for each frame in and out (two per charger message), and the log copies what it keeps.
/// </summary>
public readonly record struct OcppFrameLogEntry(
    OcppConnectionInfo Connection,
    OcppFrameDirection Direction,
    string Raw,
    string? Action,
    OcppMessageType? MessageType,
    string? MessageId,
    DateTimeOffset Timestamp,
    string? Source = null);

/// <summary>
/// Sees every frame in both directions. Called inline on the connection's loop: implementations
/// must be quick and not throw (buffer and persist in batches elsewhere).
/// </summary>
public interface IOcppFrameLog
{
    void Record(OcppFrameLogEntry entry);
}
