using System.Diagnostics;
using System.Globalization;
using System.Text;
using CsCheck;

namespace MediaBridge.Tests.Fuzz;

/// <summary>
/// Runs one property under CsCheck within a budget. In CI each property runs a fixed number of cases,
/// cut short after <see cref="CiSeconds"/> so the suite stays within about a minute on a loaded
/// machine; <c>COMMAND_FUZZ_SECONDS=N</c> runs each property for N seconds instead. A failure is
/// shrunk and its CsCheck seed printed; <c>COMMAND_FUZZ_SEED</c> replays it. Case counts go to the
/// test output and, when <c>COMMAND_FUZZ_REPORT</c> names a file, are appended there as TSV.
/// </summary>
public static class FuzzRun
{
    public const double CiSeconds = 5;

    public static int? LongSeconds =>
        int.TryParse(Environment.GetEnvironmentVariable("COMMAND_FUZZ_SECONDS"), NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s > 0 ? s : null;

    public static long Check<T>(string parser, string property, Gen<T> gen, Action<T> check, long ciCases, Func<T, string>? print = null)
    {
        long cases = 0;
        var budget = LongSeconds is { } seconds ? TimeSpan.FromSeconds(seconds + 1) : TimeSpan.FromSeconds(CiSeconds);
        var clock = Stopwatch.StartNew();
        gen.Sample(
            value =>
            {
                if (clock.Elapsed > budget)
                {
                    return;
                }

                check(value);
                Interlocked.Increment(ref cases);
            },
            seed: Environment.GetEnvironmentVariable("COMMAND_FUZZ_SEED"),
            iter: LongSeconds is null ? ciCases : -1,
            time: LongSeconds ?? -1,
            print: print);
        Report(parser, property, cases, clock.Elapsed);
        Assert.True(cases > 0, $"{parser} {property} ran no case");
        return cases;
    }

    /// <summary>Bytes as a C# string literal with escapes, so a failing case can be pasted into a regression test.</summary>
    public static string Literal(byte[] bytes)
    {
        var text = new StringBuilder("\"");
        foreach (var b in bytes)
        {
            text.Append(b switch
            {
                (byte)'\r' => "\\r",
                (byte)'\n' => "\\n",
                (byte)'"' => "\\\"",
                (byte)'\\' => "\\\\",
                >= 0x20 and < 0x7F => ((char)b).ToString(),
                _ => $"\\x{b:X2}",
            });
        }

        return text.Append("\"u8 (").Append(bytes.Length).Append(" bytes, hex ").Append(Convert.ToHexString(bytes)).Append(')').ToString();
    }

    public static string Literal(string text) => Literal(Encoding.UTF8.GetBytes(text)) + (text.Any(char.IsSurrogate) ? " [" + string.Join(' ', text.Select(c => ((int)c).ToString("X4", CultureInfo.InvariantCulture))) + "]" : "");

    private static void Report(string parser, string property, long cases, TimeSpan elapsed)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"{parser}\t{property}\t{cases}\t{elapsed.TotalSeconds:F1}");
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        if (Environment.GetEnvironmentVariable("COMMAND_FUZZ_REPORT") is { Length: > 0 } file)
        {
            lock (typeof(FuzzRun))
            {
                File.AppendAllText(file, line + "\n");
            }
        }
    }
}
