using Command.Web.Auth;

namespace Command.Silo.Hosting;

/// <summary><c>Command.Silo hash-password</c>: reads a password from standard input and prints its hash for configuration.</summary>
public static class PasswordTool
{
    public static bool IsInvoked(string[] args) => args is ["hash-password", ..];

    public static int Run()
    {
        Console.Error.Write("Password: ");
        var password = Console.ReadLine();
        if (string.IsNullOrEmpty(password))
        {
            Console.Error.WriteLine("No password given.");
            return 1;
        }

        Console.WriteLine(UserStore.Hash(password));
        return 0;
    }
}
