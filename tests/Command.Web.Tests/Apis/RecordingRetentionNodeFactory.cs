using System.Globalization;
using Command.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace Command.Web.Tests.Apis;

/// <summary>
/// A node of its own that keeps recordings for seconds and sweeps twice a second, so a test runs past the period;
/// the shared node keeps the default six months, which the other recording tests rely on.
/// </summary>
public sealed class RecordingRetentionNodeFactory : CommandApiFactory
{
    public static readonly TimeSpan Retention = TimeSpan.FromSeconds(4);
    public static readonly TimeSpan Check = TimeSpan.FromMilliseconds(500);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Command:Recording:RetentionDays", Retention.TotalDays.ToString("R", CultureInfo.InvariantCulture));
        builder.UseSetting("Command:Recording:RetentionCheckSeconds", Check.TotalSeconds.ToString(CultureInfo.InvariantCulture));
    }
}
