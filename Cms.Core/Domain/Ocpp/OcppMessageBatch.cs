using System.Text;
using Cms.Core.Resources;

namespace Cms.Core.Domain.Ocpp;

/// <summary>
/// One charger's frames of one flush of the message log, as one row of ocpp_message_batches (migration 072): the
/// frames, in the order logged, share the charger's customer, charge point, OCPP id and protocol.
/// </summary>
public sealed class OcppMessageBatch(string customerId, string? chargePointId, string ocppId, string protocol)
{
    public string CustomerId { get; } = customerId;
    public string? ChargePointId { get; } = chargePointId;
    public string OcppId { get; } = ocppId;
    public string Protocol { get; } = protocol;
    public List<OcppMessageRecord> Frames { get; } = [];

    /// <summary>About the length of <see cref="AppendFramesJson"/>'s text: a body and the rest of its frame's fields.</summary>
    private int _chars;
    private static int CharsOf(OcppMessageRecord frame) => frame.Body.Length + 160;

    /// <summary>
    /// A batch's frames text stays under this many characters: its string (and the builder's buffer) then stays off the
    /// large object heap (85,000 bytes), which only a full collection frees (a second's batches of 150 frames were
    /// doubling the collector's CPU).
    /// </summary>
    public const int MaxChars = 32_000;

    public DateTimeOffset First => Frames.Min(f => f.Timestamp);
    public DateTimeOffset Last => Frames.Max(f => f.Timestamp);

    /// <summary>The frames grouped by charger, each group in the order logged and cut every <paramref name="maxFrames"/>
    /// frames or <see cref="MaxChars"/> characters.</summary>
    public static List<OcppMessageBatch> Of(IEnumerable<OcppMessageRecord> frames, int maxFrames)
    {
        var open = new Dictionary<(string, string?, string, string), OcppMessageBatch>();
        var batches = new List<OcppMessageBatch>();
        foreach (var frame in frames)
        {
            var key = (frame.CustomerId, frame.ChargePointId, frame.OcppId, frame.Protocol);
            if (!open.TryGetValue(key, out var batch) || batch.Frames.Count == maxFrames || batch._chars + CharsOf(frame) > MaxChars)
            {
                open[key] = batch = new OcppMessageBatch(frame.CustomerId, frame.ChargePointId, frame.OcppId, frame.Protocol);
                batches.Add(batch);
            }
            batch.Frames.Add(frame);
            batch._chars += CharsOf(frame);
        }
        return batches;
    }

    /// <summary>Consecutive runs of batches of about <paramref name="framesPerPart"/> frames each (whole batches).</summary>
    public static IEnumerable<IReadOnlyList<OcppMessageBatch>> Parts(IReadOnlyList<OcppMessageBatch> batches, int framesPerPart)
    {
        var part = new List<OcppMessageBatch>();
        var frames = 0;
        foreach (var batch in batches)
        {
            part.Add(batch);
            frames += batch.Frames.Count;
            if (frames < framesPerPart) continue;
            yield return part;
            part = [];
            frames = 0;
        }
        if (part.Count > 0) yield return part;
    }

    /// <summary>A batch's id from a new id: its last three hex digits 000, so frame k's id (the view's) is unique and
    /// the frames sort in the order logged.</summary>
    public static string NewId(string id) => string.Concat(id.AsSpan(0, id.Length - 3), "000");

    /// <summary>
    /// The "frames" column: a JSON array of [timestamp, source, messageType, operationType, messageId, body, url]
    /// (positions, not names; the view reads them as value ->> 0 … 6), the body as the text that crossed the wire.
    /// Appended to the caller's builder: the log writes every frame's text once more here, and a string of it (and a
    /// builder per batch) were over a quarter of all the host allocated under MeterValues load.
    /// </summary>
    public StringBuilder AppendFramesJson(StringBuilder json)
    {
        // PostgreSQL's jsonb, which reads the column there, has no NUL character: a charger's garbage (a body, a message
        // id, an action) keeps the rest, its NULs written as U+FFFD.
        static StringBuilder Text(StringBuilder json, string? text) => JsonText.AppendString(json, text, nulAsReplacement: true);
        json.EnsureCapacity(json.Length + 64 + _chars);
        json.Append('[');
        for (var i = 0; i < Frames.Count; i++)
        {
            var f = Frames[i];
            if (i > 0) json.Append(',');
            json.Append('[');
            JsonText.AppendTimestamp(json, f.Timestamp).Append(',');
            Text(json, f.Source).Append(',');
            Text(json, f.MessageType).Append(',');
            Text(json, f.OperationType).Append(',');
            Text(json, f.MessageId).Append(',');
            Text(json, f.Body).Append(',');
            Text(json, f.Url).Append(']');
        }
        return json.Append(']');
    }

    /// <summary><see cref="AppendFramesJson"/> as a string.</summary>
    public string FramesJson() => AppendFramesJson(new StringBuilder()).ToString();
}
