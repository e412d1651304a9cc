using System.Security.Cryptography;
using System.Text;
using Cms.Core.Auth;
using Cms.Core.Domain.ChargePoints;
using Cms.Core.Domain.Ocpp;
using Cms.Core.Resources;
using Cms.Core.Storage;
using Dapper;
using Newtonsoft.Json.Linq;

namespace Cms.Core.Domain.Diagnostics;

/// <summary>Where uploads go and how big one may be.</summary>
public sealed record DiagnosticsOptions(long MaxUploadBytes = 50L * 1024 * 1024, string? PublicUrl = null);

/// <summary>How an upload to a one-time URL went.</summary>
public enum UploadOutcome { Stored, NotFound, AlreadyUsed, TooLarge }

/// <summary>
/// Diagnostics: asks the charger for its logs with an upload URL on AmpCMS itself (a one-time secret in the URL is
/// the credential, stored only hashed), takes the upload, follows the charger's status notifications, and serves the
/// file. Protocol-neutral: the 1.6 and 2.0.1 adapters both report status through <see cref="StatusChangedAsync"/>.
/// </summary>
public sealed class DiagnosticsService(CoreContext core, ChargerCommands commands, DiagnosticsOptions options)
    : ResourceService(core, DiagnosticsResource.Spec)
{
    public const string UploadPath = "/diagnostics_uploads";
    public DiagnosticsOptions Options => options;

    private static readonly IReadOnlyList<FieldSpec> RequestFields = [DiagnosticsResource.Spec.Field("chargepointId")];

    /// <summary>POST /v2/diagnostics: records the request, then sends GetDiagnostics (1.6) or GetLog (2.0.1), or queues it while the charger is offline.</summary>
    public async Task<JObject> RequestAsync(Caller caller, JToken? body, string baseUrl)
    {
        var values = BodyValidator.Validate(body, RequestFields, isCreate: true);
        var chargePointId = (string)values["chargepointId"]!;
        var secret = Secrets.NewToken();
        var id = Core.Ids.NewId();
        var (protocol, requestId) = await Db.WriteAsync(async (conn, tx) =>
        {
            var cp = await RequireReferenceAsync(conn, tx, ChargePointResource.Spec, caller.CustomerId, "chargepointId", chargePointId);
            var next = await conn.ExecuteScalarAsync<long>(
                "SELECT COALESCE(MAX(requestId), 0) + 1 FROM diagnostics WHERE chargepointId = @chargePointId", new { chargePointId }, tx);
            var protocol = cp.Str("protocol") ?? "ocpp1.6";
            await ResourceStore.InsertAsync(conn, tx, Spec, caller.CustomerId, new Dictionary<string, object?>
            {
                ["chargepointId"] = chargePointId, ["userId"] = caller.UserId, ["protocol"] = protocol, ["requestId"] = next,
                ["status"] = DiagnosticsResource.Requested, ["statusUpdate"] = Now, ["uploadSecretHash"] = Secrets.HashToken(secret),
            }, Now, id);
            return (protocol, next);
        });

        var location = $"{(options.PublicUrl ?? baseUrl).TrimEnd('/')}{UploadPath}/{id}/{secret}";
        var (action, payload) = protocol == "ocpp2.0.1"
            ? ("GetLog", new JObject { ["log"] = new JObject { ["remoteLocation"] = location }, ["logType"] = "DiagnosticsLog", ["requestId"] = requestId })
            : ("GetDiagnostics", new JObject { ["location"] = location });
        ChargerCallOutcome outcome;
        try { outcome = await commands.SendOrQueueAsync(caller.CustomerId, chargePointId, action, payload); }
        catch (InvalidChargerCallException e) { outcome = new ChargerCallOutcome(ChargerCallOutcome.CallError, null, "InvalidCall", e.Message); }

        var (status, requestStatus) = outcome.Status switch
        {
            ChargerCallOutcome.Answered => (string?)outcome.Result?["status"] is "Rejected"
                ? (DiagnosticsResource.Rejected, "Rejected")
                : (DiagnosticsResource.Requested, (string?)outcome.Result?["status"] ?? "Accepted"),
            ChargerCallOutcome.Queued => (DiagnosticsResource.Queued, ChargerCallOutcome.Queued),
            ChargerCallOutcome.CallError => (DiagnosticsResource.Failed, $"{outcome.ErrorCode}: {outcome.ErrorDescription}"),
            _ => (DiagnosticsResource.Failed, outcome.Status),
        };
        var fileName = (string?)outcome.Result?["fileName"] ?? (string?)outcome.Result?["filename"];
        await Db.WriteAsync((conn, tx) => conn.ExecuteAsync(
            // The charger may already have reported progress or uploaded: its word wins over our "Requested".
            "UPDATE diagnostics SET requestStatus = @requestStatus, fileName = COALESCE(fileName, @fileName), updated = @now, " +
            "status = CASE WHEN status = @requested THEN @status ELSE status END WHERE id = @id",
            new { id, requestStatus, fileName, status, requested = DiagnosticsResource.Requested, now = Iso.Format(Now) }, tx));
        return await GetAsync(caller, id);
    }

    /// <summary>
    /// The charger's status for a diagnostics request (1.6 DiagnosticsStatusNotification, 2.0.1 LogStatusNotification).
    /// With a requestId, that request; without (1.6 has none), the charger's newest. False when there is no such request.
    /// </summary>
    public async Task<bool> StatusChangedAsync(ChargerAdmitted charger, string status, long? requestId = null)
    {
        var changed = await Db.WriteAsync((conn, tx) => conn.ExecuteAsync(
            "UPDATE diagnostics SET status = @status, statusUpdate = @now, updated = @now WHERE id = (" +
            "SELECT id FROM diagnostics WHERE chargepointId = @cp AND customerId = @customerId AND (@requestId IS NULL OR requestId = @requestId) " +
            "ORDER BY created DESC, requestId DESC LIMIT 1)",
            new { status, now = Iso.Format(Now), cp = charger.ChargePointId, customerId = charger.CustomerId, requestId }, tx));
        return changed > 0;
    }

    /// <summary>
    /// Stores an upload sent to the one-time URL. The body is streamed to a temporary file (at most MaxUploadBytes);
    /// the URL is then claimed and the file moved into place in one transaction, so of two racing uploads one wins.
    /// </summary>
    public async Task<UploadOutcome> UploadAsync(string id, string secret, Stream content, string? fileName, CancellationToken cancel = default)
    {
        if (!Guid.TryParse(id, out var g)) return UploadOutcome.NotFound;
        id = g.ToString();
        var row = await Db.ReadAsync(conn => conn.QueryFirstOrDefaultAsync<(string Hash, string? Uploaded)?>(
            "SELECT uploadSecretHash, uploaded FROM diagnostics WHERE id = @id", new { id }));
        if (row is not { } found || !CryptographicOperations.FixedTimeEquals(
                Encoding.ASCII.GetBytes(found.Hash), Encoding.ASCII.GetBytes(Secrets.HashToken(secret))))
            return UploadOutcome.NotFound;
        if (found.Uploaded is not null) return UploadOutcome.AlreadyUsed;

        var folder = DataFiles.Folder(Db, "diagnostics");
        var partial = Path.Combine(folder, $"{id}.{Guid.NewGuid():N}.part");
        try
        {
            long size;
            await using (var file = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                size = await CopyBoundedAsync(content, file, options.MaxUploadBytes, cancel);
                if (size < 0) return UploadOutcome.TooLarge;
            }
            var claimed = await Db.WriteAsync(async (conn, tx) =>
            {
                var now = Iso.Format(Now);
                var updated = await conn.ExecuteAsync(
                    "UPDATE diagnostics SET uploaded = @now, fileSize = @size, fileName = COALESCE(@fileName, fileName), updated = @now " +
                    "WHERE id = @id AND uploaded IS NULL", new { id, now, size, fileName = SafeName(fileName) }, tx);
                if (updated == 0) return false;
                File.Move(partial, FilePath(id), overwrite: true); // inside the transaction: a failed move stores nothing
                return true;
            });
            return claimed ? UploadOutcome.Stored : UploadOutcome.AlreadyUsed;
        }
        finally
        {
            if (File.Exists(partial)) File.Delete(partial);
        }
    }

    /// <summary>GET /v2/diagnostics/{id}/download: the uploaded file and its name.</summary>
    public async Task<(string Path, string FileName)> DownloadAsync(Caller caller, string id)
    {
        var item = await GetAsync(caller, id);
        var path = FilePath((string)item["id"]!);
        if ((string?)item["uploaded"] is null || !File.Exists(path))
            throw new ApiFailure(404, "file", "the charger has not uploaded a file for this request yet");
        return (path, (string?)item["fileName"] ?? $"diagnostics-{item["id"]}.log");
    }

    public override Task<JObject> CreateAsync(Caller caller, JToken? body) =>
        throw new InvalidOperationException("diagnostics are created with RequestAsync, which knows the upload URL's base");

    public override Task<JObject> UpdateAsync(Caller caller, string id, JToken? body) =>
        throw ApiFailure.BadRequest("id", "diagnostics cannot be changed");

    public override Task<JObject> DeleteAsync(Caller caller, string id) =>
        throw ApiFailure.BadRequest("id", "diagnostics cannot be deleted");

    private string FilePath(string id) => Path.Combine(DataFiles.Folder(Db, "diagnostics"), id);

    /// <summary>Copies at most <paramref name="max"/> bytes; -1 when the source holds more.</summary>
    private static async Task<long> CopyBoundedAsync(Stream from, Stream to, long max, CancellationToken cancel)
    {
        var buffer = new byte[1 << 16];
        long total = 0;
        int read;
        while ((read = await from.ReadAsync(buffer, cancel)) > 0)
        {
            total += read;
            if (total > max) return -1;
            await to.WriteAsync(buffer.AsMemory(0, read), cancel);
        }
        return total;
    }

    /// <summary>Only a plain file name is kept: no directories, no control characters, at most 255 characters.</summary>
    private static string? SafeName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) return null;
        var plain = Path.GetFileName(name.Replace('\\', '/'));
        plain = new string(plain.Where(c => !char.IsControl(c) && c != '"').ToArray()).Trim();
        return plain.Length == 0 ? null : plain[..Math.Min(plain.Length, 255)];
    }
}
