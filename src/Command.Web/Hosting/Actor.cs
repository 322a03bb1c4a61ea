using Microsoft.AspNetCore.Http;

namespace Command.Web.Hosting;

/// <summary>Who is acting, for timelines: the signed-in user, or "anonymous".</summary>
internal static class Actor
{
    public static string Of(HttpContext context) =>
        context.User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name } ? name : "anonymous";
}
