using Command.Grains.Topology;
using Command.Silo.Hosting;
using Command.Web.Hosting;

if (PasswordTool.IsInvoked(args))
{
    return PasswordTool.Run();
}

try
{
    var builder = WebApplication.CreateBuilder(args);
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

/// <summary>Visible to the HTTP tests, which host this program in-process.</summary>
public partial class Program;
