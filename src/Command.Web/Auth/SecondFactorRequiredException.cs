namespace Command.Web.Auth;

/// <summary>The password was right and the user signs in with a one-time code too; answered with 401 naming <see cref="ProblemType"/>.</summary>
public sealed class SecondFactorRequiredException() : Exception("This user signs in with a one-time code as well; send it as code.")
{
    public const string ProblemType = "urn:command:problem:code-required";
}
