using System.Text.Json;
using Command.Contracts;
using Command.Contracts.Audit;
using Command.Web.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Command.Web.Apis;

/// <summary>
/// The audit trail (留痕), for admins: page through it, check that no entry was altered and none cut off, list the
/// signed checkpoints, and export a time range with its chain proof as a signed file for offline checking.
/// </summary>
public static class AuditApi
{
    public static RouteGroupBuilder MapAuditApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/audit").WithTags("Audit").RequireAuthorization(Policies.Audit);
        group.MapGet("/", ReadAsync).WithSummary("Audit entries from ?from= (default 0), ?count= (default 100, at most 1000).");
        group.MapGet("/verify", VerifyAsync).WithSummary("Recompute the hash chain, check it against the signed head and checkpoints, and name the first break, if any.");
        group.MapGet("/checkpoints", CheckpointsAsync).WithSummary("The signed checkpoints of the chain's end, oldest first, with the public key that checks them.");
        group.MapGet("/export", ExportAsync)
            .WithSummary("Entries from ?from= to ?to= (ISO 8601 times; to defaults to now) with the chain proof, as a signed JSON file.");
        return group;
    }

    private static async Task<Ok<AuditPage>> ReadAsync(long? from, int? count, IGrainFactory grains) =>
        TypedResults.Ok(await Log(grains).ReadAsync(from ?? 0, count ?? 100));

    private static async Task<Ok<AuditVerification>> VerifyAsync(IGrainFactory grains) =>
        TypedResults.Ok(await Log(grains).VerifyAsync());

    private static async Task<Ok<AuditCheckpoints>> CheckpointsAsync(IGrainFactory grains) =>
        TypedResults.Ok(new AuditCheckpoints(await Log(grains).PublicKeyAsync(), await Log(grains).CheckpointsAsync()));

    private static async Task<FileContentHttpResult> ExportAsync(string? from, string? to, IGrainFactory grains, TimeProvider time)
    {
        var start = Time(from, "from") ?? DateTimeOffset.MinValue;
        var end = Time(to, "to") ?? time.GetUtcNow();
        var export = await Log(grains).ExportAsync(start, end);
        var file = JsonSerializer.SerializeToUtf8Bytes(
            new { payload = export.Payload, signature = export.Signature, publicKey = export.PublicKey, algorithm = "ECDSA P-256 SHA-256 (IEEE P1363)" },
            new JsonSerializerOptions { WriteIndented = true });
        return TypedResults.File(file, "application/json", $"audit-{end.UtcDateTime:yyyyMMddTHHmmssZ}.json");
    }

    private static DateTimeOffset? Time(string? text, string name) =>
        string.IsNullOrWhiteSpace(text) ? null
        : DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at) ? at
        : throw CommandException.Invalid($"'{name}' is not a time (ISO 8601, such as 2025-01-31T00:00:00Z).");

    private static IAuditLogGrain Log(IGrainFactory grains) => grains.GetGrain<IAuditLogGrain>(IAuditLogGrain.DefaultKey);
}
