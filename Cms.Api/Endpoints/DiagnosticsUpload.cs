using Cms.Api.Http;
using Cms.Core.Domain.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Newtonsoft.Json.Linq;

namespace Cms.Api.Endpoints;

/// <summary>
/// The upload URL a charger gets in GetDiagnostics/GetLog: outside /v2 and without a bearer token, since the one-time
/// secret in the path is the credential. Takes the file as the body of a PUT, or as the file part of a multipart POST;
/// a file name may follow the secret as one more path segment (some chargers append theirs).
/// </summary>
public static class DiagnosticsUpload
{
    public static void Map(IEndpointRouteBuilder app)
    {
        const string path = DiagnosticsService.UploadPath + "/{id}/{secret}";
        foreach (var route in new[] { path, path + "/{fileName}" })
        {
            app.MapPut(route, (HttpContext http, string id, string secret, string? fileName, DiagnosticsService diagnostics) =>
                ReceiveAsync(http, diagnostics, id, secret, fileName));
            app.MapPost(route, (HttpContext http, string id, string secret, string? fileName, DiagnosticsService diagnostics) =>
                ReceiveAsync(http, diagnostics, id, secret, fileName));
        }
    }

    private static async Task<IResult> ReceiveAsync(HttpContext http, DiagnosticsService diagnostics, string id, string secret, string? fileName)
    {
        var max = diagnostics.Options.MaxUploadBytes;
        // Our own bound replaces Kestrel's default 30 MB one; the service stops reading past max itself.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = null;
        if (http.Request.ContentLength > max) return TooLarge(max);

        UploadOutcome outcome;
        if (MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var type) && type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            var boundary = HeaderUtilities.RemoveQuotes(type.Boundary).Value;
            if (string.IsNullOrEmpty(boundary)) return Fail(400, "body", "multipart/form-data needs a boundary");
            var reader = new MultipartReader(boundary, http.Request.Body);
            MultipartSection? section;
            while ((section = await reader.ReadNextSectionAsync(http.RequestAborted)) is not null)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)) continue;
                var partName = HeaderUtilities.RemoveQuotes(disposition.FileName).Value ?? HeaderUtilities.RemoveQuotes(disposition.FileNameStar).Value;
                if (partName is null) continue; // a plain form field, not the file
                outcome = await diagnostics.UploadAsync(id, secret, section.Body, fileName ?? partName, http.RequestAborted);
                return Answer(outcome, id, max);
            }
            return Fail(400, "file", "the multipart body has no file part");
        }
        outcome = await diagnostics.UploadAsync(id, secret, http.Request.Body, fileName, http.RequestAborted);
        return Answer(outcome, id, max);
    }

    private static IResult Answer(UploadOutcome outcome, string id, long max) => outcome switch
    {
        UploadOutcome.Stored => Jsend.One(new JObject { ["id"] = id, ["status"] = "stored" }, 201),
        UploadOutcome.AlreadyUsed => Fail(410, "url", "this upload URL was already used"),
        UploadOutcome.TooLarge => TooLarge(max),
        _ => Fail(404, "url", "no such upload URL"),
    };

    private static IResult TooLarge(long max) => Fail(413, "file", $"must be at most {max} bytes");

    private static IResult Fail(int status, string field, string why) => Jsend.Fail(status, new Dictionary<string, string> { [field] = why });
}
