using Command.Grains.Topology;
using Command.Silo.Hosting;
using Command.Web.Hosting;

if (PasswordTool.IsInvoked(args))
{
    return PasswordTool.Run();
}

IConfiguration? configuration = null;
try
{
    var builder = WebApplication.CreateBuilder(args);
    configuration = builder.Configuration;
    builder.AddCommandNode();
    var app = builder.Build();
    app.UseCommandWeb();
    app.Run();
    return 0;
}
catch (TopologyException e)
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
