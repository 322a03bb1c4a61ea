using Command.Grains.Topology;
using Command.Silo.Hosting;
using Command.Silo.Store;
using MediaBridge.Control;
using Command.Web.Hosting;

if (PasswordTool.IsInvoked(args))
{
    return PasswordTool.Run();
}

if (BackupTool.IsInvoked(args))
{
    return await BackupTool.RunAsync(args);
}

IConfiguration? configuration = null;
try
{
    var builder = WebApplication.CreateBuilder(args);
    configuration = builder.Configuration;
    builder.AddCommandNode();
    builder.AddCommandTelemetry("command-node", StoreCheckpointer.MeterName);
    var app = builder.Build();
    app.UseCommandWeb();
    app.MapCommandMetrics();
    app.Run();
    return 0;
}
catch (TopologyException e)
{
    Console.Error.WriteLine($"Command cannot start: {e.Message}");
    return 2;
}
catch (System.ComponentModel.DataAnnotations.ValidationException e)
{
    Console.Error.WriteLine($"Command cannot start: {e.Message}");
    return 2;
}
catch (Microsoft.Extensions.Options.OptionsValidationException e)
{
    Console.Error.WriteLine($"Command cannot start: {e.Message}");
    return 2;
}
catch (Exception e) when (PortClash.Describe(e, configuration) is { } clash)
{
    Console.Error.WriteLine($"Command cannot start: {clash}");
    return 2;
}

/// <summary>Visible to the HTTP tests, which host this program in-process.</summary>
public partial class Program;
