using System.ComponentModel.DataAnnotations;
using MediaBridge.Control;
using Microsoft.Extensions.Hosting;

try
{
    var builder = Host.CreateApplicationBuilder(args);
    builder.AddBridgeClient();
    builder.Build().Run();
    return 0;
}
catch (ValidationException e)
{
    Console.Error.WriteLine($"The media bridge cannot start: {e.Message}");
    return 2;
}
