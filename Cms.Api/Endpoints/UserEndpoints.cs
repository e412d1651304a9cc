using Cms.Api.Http;
using Cms.Api.OpenApi;
using Cms.Core.Auth;
using Cms.Core.Resources;

namespace Cms.Api.Endpoints;

public static class UserEndpoints
{
    public static void MapUsers(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v2/users/login", async Task<IResult> (HttpContext http, UserService users) =>
            Jsend.One(await users.LoginAsync(await RequestBody.ReadAsync(http.Request))))
            .WithMetadata(new BodyFields(UserResource.LoginFields, IsCreate: true));
        app.MapGet("/v2/users/me", async Task<IResult> (HttpContext http, UserService users) =>
        {
            var query = ResourceEndpoints.Query(http).ToList();
            if (query.FirstOrDefault(q => q.Key != "email") is { Key: not null } unknown)
                throw ApiFailure.BadRequest(unknown.Key, "unknown query parameter");
            var email = query.FirstOrDefault(q => q.Key == "email").Value;
            if (email is null) return Jsend.One(await users.MeAsync(http.Caller()));
            if (email.Length != 1 || string.IsNullOrWhiteSpace(email[0])) throw ApiFailure.BadRequest("email", "must be given once, not empty");
            var accounts = await users.MeByEmailAsync(http.Caller(), email[0]);
            return Jsend.Success(accounts, accounts.Count);
        }).WithMetadata(QueryParameters.Of(["email"]));
        app.MapPatch("/v2/users/me", async Task<IResult> (HttpContext http, UserService users) =>
            Jsend.One(await users.UpdateMeAsync(http.Caller(), await RequestBody.ReadAsync(http.Request))))
            .WithMetadata(new BodyFields(UserResource.SelfFields, IsCreate: false));
        app.MapPost("/v2/users/{id}/switch", async (HttpContext http, string id, UserService users) =>
            Jsend.One(await users.SwitchAsync(http.Caller(), id)));
        app.MapResource<UserService>("/v2/users", update: false, delete: false);
    }
}
