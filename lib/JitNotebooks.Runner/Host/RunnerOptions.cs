using System.Globalization;

namespace JitNotebooks.Runner.Host;

/// <summary>A command line the runner cannot use; the message says what is wrong.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>The runner's command line.</summary>
/// <param name="Paths">Notebooks or folders of notebooks; empty means the repository's notebooks/.</param>
/// <param name="Write">Store the outputs back into each notebook.</param>
/// <param name="CellTimeout">How long one cell may run before it is stopped.</param>
/// <param name="Help">Print the usage and stop.</param>
public sealed record RunnerOptions(IReadOnlyList<string> Paths, bool Write, TimeSpan CellTimeout, bool Help = false)
{
    /// <summary>Generous: the first cell of each notebook also pays for Roslyn's warm-up.</summary>
    public static readonly TimeSpan DefaultCellTimeout = TimeSpan.FromSeconds(60);

    public const string Usage = """
        Usage: dotnet run --project lib/JitNotebooks.Runner -- [options] [notebook.ipynb | folder]...

        Runs each notebook's C# cells top to bottom, as the Polyglot Notebooks C# kernel would.
        With no path, runs every notebook in the repository's notebooks/ folder, in name order.

        Options:
          --write            store the outputs back into each .ipynb (atomically; same run, same file)
          --timeout <secs>   per-cell time limit (default 60)
          -h, --help         show this help

        Exit code: 0 when every cell ran as expected, 1 when a cell failed or a file was refused,
        2 for a bad command line.
        """;

    public static RunnerOptions Parse(IReadOnlyList<string> args)
    {
        var paths = new List<string>();
        var write = false;
        var help = false;
        var timeout = DefaultCellTimeout;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--write": write = true; break;
                case "-h" or "--help": help = true; break;
                case "--timeout":
                    if (i + 1 >= args.Count)
                        throw new UsageException("--timeout needs a number of seconds, e.g. --timeout 120");
                    timeout = ParseSeconds(args[++i]);
                    break;
                case var flag when flag.StartsWith("--timeout=", StringComparison.Ordinal):
                    timeout = ParseSeconds(flag["--timeout=".Length..]);
                    break;
                case var flag when flag.StartsWith('-'):
                    throw new UsageException($"unknown option {flag}; see --help");
                default: paths.Add(args[i]); break;
            }
        }
        return new RunnerOptions(paths, write, timeout, help);
    }

    private static TimeSpan ParseSeconds(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : throw new UsageException($"--timeout takes a positive number of seconds, not \"{text}\"");
}
