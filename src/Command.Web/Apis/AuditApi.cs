using Command.Contracts.Audit;
using Command.Web.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Command.Web.Apis;

/// <summary>The audit trail (留痕), for admins: page through it, and check that no entry was altered.</summary>
public static class AuditApi
{
    public static RouteGroupBuilder MapAuditApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/audit").WithTags("Audit").RequireAuthorization(Policies.Audit);
        group.MapGet("/", ReadAsync).WithSummary("Audit entries from ?from= (default 0), ?count= (default 100, at most 1000).");
        group.MapGet("/verify", VerifyAsync).WithSummary("Recompute the hash chain and name the first broken entry, if any.");
        return group;
    }

    private static async Task<Ok<AuditPage>> ReadAsync(long? from, int? count, IGrainFactory grains) =>
        TypedResults.Ok(await Log(grains).ReadAsync(from ?? 0, count ?? 100));

    private static async Task<Ok<AuditVerification>> VerifyAsync(IGrainFactory grains) =>
        TypedResults.Ok(await Log(grains).VerifyAsync());

    private static IAuditLogGrain Log(IGrainFactory grains) => grains.GetGrain<IAuditLogGrain>(IAuditLogGrain.DefaultKey);
}
