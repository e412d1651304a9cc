using Cms.Core.Domain.Ocpp;
using Cms.Ocpp.V201.Types;

namespace Cms.Ocpp.V201.Actions;

public sealed class AuthorizeRequest
{
    public IdTokenType IdToken { get; init; } = new();
}

public sealed class AuthorizeResponse
{
    public IdTokenInfoType IdTokenInfo { get; init; } = new();
}

/// <summary>
/// Every idToken type is looked up by its value among the id tags (the same rules as a 1.6 idTag); NoAuthorization
/// (a station that charges without identification) is accepted as such.
/// </summary>
public sealed class AuthorizeHandler(ChargerTransactions transactions) : Ocpp201Handler<AuthorizeRequest, AuthorizeResponse>
{
    protected override async Task<AuthorizeResponse> HandleAsync(ChargerAdmitted charger, AuthorizeRequest request) =>
        new() { IdTokenInfo = await IdTokens.InfoAsync(transactions, charger, request.IdToken) };
}

/// <summary>idToken → idTokenInfo, shared by Authorize and TransactionEvent.</summary>
public static class IdTokens
{
    public const string NoAuthorization = "NoAuthorization";

    /// <summary>The value an idToken is stored and looked up by; null for NoAuthorization, which names nobody.</summary>
    public static string? TagOf(IdTokenType? token) => token is null || token.Type == NoAuthorization ? null : token.IdToken;

    public static async Task<IdTokenInfoType> InfoAsync(ChargerTransactions transactions, ChargerAdmitted charger, IdTokenType token) =>
        TagOf(token) is { } tag
            ? Ocpp201Convert.IdTokenInfo(await transactions.AuthorizeAsync(charger, tag))
            : new IdTokenInfoType { Status = "Accepted" };
}
