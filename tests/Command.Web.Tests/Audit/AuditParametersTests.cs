using System.Text.Json.Nodes;
using Command.Web.Audit;

namespace Command.Web.Tests.Audit;

public sealed class AuditParametersTests
{
    [Fact]
    public void Secrets_and_one_time_codes_are_masked_and_ordinary_fields_named_like_them_are_kept()
    {
        var body = JsonNode.Parse("""
            {"username":"chair.city","password":"p","code":"123456","newPassword":"q",
             "regionCode":"440600","camera":{"username":"u","password":"c"},"items":[{"totp":"654321"}]}
            """);

        var masked = AuditParameters.Redact(body)!;

        Assert.Equal("***", (string?)masked["password"]);
        Assert.Equal("***", (string?)masked["newPassword"]);
        Assert.Equal("***", (string?)masked["code"]);
        Assert.Equal("***", (string?)masked["camera"]!["password"]);
        Assert.Equal("***", (string?)masked["items"]![0]!["totp"]);
        Assert.Equal("chair.city", (string?)masked["username"]);
        Assert.Equal("440600", (string?)masked["regionCode"]);
    }
}
