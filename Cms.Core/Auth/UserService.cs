using System.Data.Common;
using Cms.Core.Resources;
using Dapper;
using Newtonsoft.Json.Linq;

namespace Cms.Core.Auth;

/// <summary>Users, logins and API tokens. Passwords and tokens are only ever stored hashed.</summary>
public sealed class UserService(CoreContext core) : ResourceService(core, UserResource.Spec)
{
    public override IReadOnlyList<FieldSpec> CreateFields => UserResource.CreateFields;
    public override IReadOnlyList<FieldSpec> UpdateFields => [];

    /// <summary>The caller behind a bearer token, or null when the token is unknown.</summary>
    public async Task<Caller?> AuthenticateAsync(string token)
    {
        var row = await Db.ReadAsync(conn => conn.QueryFirstOrDefaultAsync<(string Id, string CustomerId, string Type)?>(
            "SELECT u.id, u.customerId, u.type FROM api_tokens k JOIN users u ON u.id = k.userId WHERE k.tokenHash = @hash",
            new { hash = Secrets.HashToken(token) }));
        return row is { } r ? new Caller(r.Id, r.CustomerId, r.Type) : null;
    }

    public async Task<JObject> LoginAsync(JToken? body)
    {
        var values = BodyValidator.Validate(body, UserResource.LoginFields, isCreate: true);
        var user = await Db.ReadAsync(conn => conn.QueryFirstOrDefaultAsync<(string Id, string Password)?>(
            "SELECT id, password FROM users WHERE name = @name", new { name = values["name"] }));
        if (user is null || !Secrets.VerifyPassword((string)values["password"]!, user.Value.Password))
            throw new ApiFailure(401, "password", "name or password is wrong");
        return await IssueTokenAsync(user.Value.Id);
    }

    public override async Task<JObject> CreateAsync(Caller caller, JToken? body)
    {
        if (!caller.IsAdmin) throw ApiFailure.Forbidden("only admin users may create users");
        var values = BodyValidator.Validate(body, UserResource.CreateFields, isCreate: true);
        if (values.Remove("customer", out var customer) && customer is string c && c != caller.CustomerId)
            throw ApiFailure.Forbidden("users can only be created for your own customer");
        values["password"] = Secrets.HashPassword((string)values["password"]!);
        var id = Core.Ids.NewId();
        var row = await Db.WriteAsync(async (conn, tx) =>
        {
            await RequireUniqueNameAsync(conn, tx, (string)values["name"]!, id);
            await ResourceStore.InsertAsync(conn, tx, Spec, caller.CustomerId, values, Now, id);
            return await ResourceStore.GetRequiredAsync(conn, Spec, caller.CustomerId, id, tx);
        });
        return Render(row);
    }

    public Task<JObject> MeAsync(Caller caller) => GetAsync(caller, caller.UserId);

    /// <summary>
    /// GET /v2/users/me?email=: "When querying by email all the users under that email are returned" (multi-organization),
    /// i.e. the caller's accounts in every customer. Only the caller's own email may be asked for, so nobody lists others.
    /// </summary>
    public async Task<List<JObject>> MeByEmailAsync(Caller caller, string email)
    {
        var rows = await Db.ReadAsync(async conn =>
        {
            var mine = await conn.ExecuteScalarAsync<string?>("SELECT email FROM users WHERE id = @id", new { id = caller.UserId });
            if (mine is null || !string.Equals(mine, email.Trim(), StringComparison.OrdinalIgnoreCase))
                throw new ApiFailure(403, "email", "may only be your own email address");
            var found = await conn.QueryAsync($"{ResourceStore.Select(Spec)} WHERE LOWER(t.email) = LOWER(@mine) ORDER BY t.created, t.id", new { mine });
            return found.Cast<IDictionary<string, object?>>().ToList();
        });
        return rows.Select(Render).ToList();
    }

    public async Task<JObject> UpdateMeAsync(Caller caller, JToken? body)
    {
        var values = BodyValidator.Validate(body, UserResource.SelfFields, isCreate: false);
        if (values.TryGetValue("password", out var password))
            values["password"] = Secrets.HashPassword((string)password!);
        var row = await Db.WriteAsync(async (conn, tx) =>
        {
            if (values.TryGetValue("name", out var name)) await RequireUniqueNameAsync(conn, tx, (string)name!, caller.UserId);
            if (values.Count > 0) await ResourceStore.UpdateAsync(conn, tx, Spec, caller.CustomerId, caller.UserId, values, Now);
            return await ResourceStore.GetRequiredAsync(conn, Spec, caller.CustomerId, caller.UserId, tx);
        });
        return Render(row);
    }

    /// <summary>
    /// Multi-organization: a person with accounts in several customers (same email) switches to another of them
    /// and gets a token acting as that account.
    /// </summary>
    public async Task<JObject> SwitchAsync(Caller caller, string targetId)
    {
        if (!Guid.TryParse(targetId, out var g)) throw ApiFailure.NotFound("user", targetId);
        var allowed = await Db.ReadAsync(conn => conn.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM users t JOIN users me ON me.id = @me " +
            "WHERE t.id = @target AND (t.id = me.id OR (me.email IS NOT NULL AND t.email = me.email))",
            new { me = caller.UserId, target = g.ToString() }));
        if (allowed == 0) throw ApiFailure.NotFound("user", targetId);
        return await IssueTokenAsync(g.ToString());
    }

    public override Task<JObject> UpdateAsync(Caller caller, string id, JToken? body) =>
        throw ApiFailure.BadRequest("id", "users change themselves with PATCH /v2/users/me");

    public override Task<JObject> DeleteAsync(Caller caller, string id) =>
        throw ApiFailure.BadRequest("id", "users cannot be deleted through the API");

    /// <summary>First start with an empty store: customer "default" and its admin, whose token is returned once.</summary>
    public async Task<string?> BootstrapAsync(string? presetToken)
    {
        var token = string.IsNullOrWhiteSpace(presetToken) ? Secrets.NewToken() : presetToken.Trim();
        var created = await Db.WriteAsync(async (conn, tx) =>
        {
            if (await conn.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM customers", transaction: tx) > 0) return false;
            var now = Iso.Format(Now);
            var customerId = Core.Ids.NewId();
            await conn.ExecuteAsync(
                "INSERT INTO customers (id, created, updated, name, shortName) VALUES (@customerId, @now, @now, 'default', 'default')",
                new { customerId, now }, tx);
            var adminId = Core.Ids.NewId();
            await ResourceStore.InsertAsync(conn, tx, Spec, customerId, new Dictionary<string, object?>
            {
                ["name"] = "admin", ["password"] = Secrets.UnusablePassword(), ["firstName"] = "Admin",
                ["lastName"] = "AmpCMS", ["type"] = UserTypes.Admin, ["language"] = "en", ["oauth"] = false, ["favorite"] = false,
            }, Now, adminId);
            await StoreTokenAsync(conn, tx, adminId, token);
            return true;
        });
        return created ? token : null;
    }

    private async Task<JObject> IssueTokenAsync(string userId)
    {
        var token = Secrets.NewToken();
        var row = await Db.WriteAsync(async (conn, tx) =>
        {
            await StoreTokenAsync(conn, tx, userId, token);
            var customerId = await conn.ExecuteScalarAsync<string>("SELECT customerId FROM users WHERE id = @userId", new { userId }, tx);
            return await ResourceStore.GetRequiredAsync(conn, Spec, customerId!, userId, tx);
        });
        var user = Render(row);
        user["token"] = token;
        return user;
    }

    private async Task StoreTokenAsync(DbConnection conn, DbTransaction tx, string userId, string token) =>
        await conn.ExecuteAsync("INSERT INTO api_tokens (tokenHash, userId, created) VALUES (@hash, @userId, @now)",
            new { hash = Secrets.HashToken(token), userId, now = Iso.Format(Now) }, tx);

    private static async Task RequireUniqueNameAsync(DbConnection conn, DbTransaction tx, string name, string selfId)
    {
        var taken = await conn.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM users WHERE name = @name AND id <> @selfId",
            new { name, selfId }, tx);
        if (taken > 0) throw ApiFailure.Conflict("name", $"user name '{name}' is taken");
    }
}
