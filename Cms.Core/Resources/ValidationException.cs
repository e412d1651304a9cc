namespace Cms.Core.Resources;

/// <summary>A client error naming each offending field; the API renders it as a JSend "fail".</summary>
public class ApiFailure : Exception
{
    public ApiFailure(int status, IReadOnlyDictionary<string, string> errors)
        : base(string.Join("; ", errors.Select(e => $"{e.Key}: {e.Value}")))
    {
        Status = status;
        Errors = errors;
    }

    public ApiFailure(int status, string field, string message)
        : this(status, new Dictionary<string, string> { [field] = message }) { }

    public int Status { get; }
    public IReadOnlyDictionary<string, string> Errors { get; }

    public static ApiFailure Invalid(string field, string message) => new(400, field, message);
    public static ApiFailure BadRequest(string field, string message) => new(400, field, message);
    public static ApiFailure NotFound(string what, string id) => new(404, "id", $"{what} {id} not found");
    public static ApiFailure Conflict(string field, string message) => new(409, field, message);
    public static ApiFailure Forbidden(string message) => new(403, "authorization", message);
}
