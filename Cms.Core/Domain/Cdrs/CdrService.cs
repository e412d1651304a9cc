using Cms.Core.Auth;
using Cms.Core.Resources;
using Newtonsoft.Json.Linq;

namespace Cms.Core.Domain.Cdrs;

/// <summary>Lists CDRs; with export=true each item is the OCPI CDR itself instead of AmpCMS's record around it.</summary>
public sealed class CdrService(CoreContext core) : ResourceService(core, CdrResource.Spec)
{
    public static ListRequest Request(IEnumerable<KeyValuePair<string, string[]>> query) =>
        ListRequest.From(query, CdrResource.Spec, [CdrResource.ExportParam]);

    public override async Task<(List<JObject> Items, long Total)> ListAsync(Caller caller, ListRequest request)
    {
        var export = request.Filters.TryGetValue(CdrResource.ExportParam, out var flag) && Filters.ParseBool(CdrResource.ExportParam, flag[^1]);
        var (items, total) = await base.ListAsync(caller, request);
        return export ? (items.SelectMany(i => ((JArray)i["cdrData"]!).OfType<JObject>()).ToList(), total) : (items, total);
    }

    public override Task<JObject> CreateAsync(Caller caller, JToken? body) =>
        throw ApiFailure.BadRequest("body", "CDRs are written by AmpCMS when a charging session ends");

    public override Task<JObject> UpdateAsync(Caller caller, string id, JToken? body) =>
        throw ApiFailure.BadRequest("id", "CDRs cannot be changed");

    public override Task<JObject> DeleteAsync(Caller caller, string id) =>
        throw ApiFailure.BadRequest("id", "CDRs cannot be deleted");
}
