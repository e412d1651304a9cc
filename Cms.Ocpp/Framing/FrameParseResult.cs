namespace Cms.Ocpp.Framing;

/// <summary>
/// Either a frame, or why the text is not one. When it is not, <see cref="ErrorMessageId"/> is the
/// id to answer with ("-1" when none could be read) and <see cref="ShouldAnswer"/> says whether the
/// sender may be answered at all (never for what looked like a CALLRESULT/CALLERROR).
/// </summary>
public sealed record FrameParseResult
{
    public OcppFrame? Frame { get; init; }
    public OcppErrorCode ErrorCode { get; init; }
    public string ErrorDescription { get; init; } = "";
    public string ErrorMessageId { get; init; } = UnknownMessageId;
    public bool ShouldAnswer { get; init; }
    /// <summary>The message type number if it could be read, for the frame log.</summary>
    public int? RawMessageType { get; init; }

    /// <summary>OCPP 2.0.1 J §4.2.3: a CALLERROR whose CALL id could not be read carries "-1".</summary>
    public const string UnknownMessageId = "-1";

    public bool IsSuccess => Frame is not null;

    public static FrameParseResult Ok(OcppFrame frame) => new() { Frame = frame, RawMessageType = (int)frame.Type };
}
