using System.Globalization;

namespace JitNotebooks.Runner.Host;

/// <summary>A command line the runner cannot use; the message says what is wrong.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>The runner's command line.</summary>
/// <param name="Paths">Notebooks or folders of notebooks; empty means the repository's notebooks/.</param>
/// <param name="Write">Store the outputs back into each notebook.</param>
/// <param name="Timeout">How long one cell may run before it is stopped (null: the default).</param>
/// <param name="Jobs">How many notebooks run at once, each in its own worker process.</param>
/// <param name="Emulate">Run JIT'd bytes in the library's emulator, even where they could run natively.</param>
/// <param name="Strict">Cells of kernels the runner does not host fail the run instead of being skipped.</param>
/// <param name="Html">Write the course, with this run's outputs, as a static offline site in this folder.</param>
/// <param name="Pdf">Print the course, with this run's outputs, to this PDF file.</param>
/// <param name="ExportFolder">Instead of running, write each notebook there as a .NET 10 file-based app.</param>
/// <param name="Help">Print the usage and stop.</param>
public sealed record RunnerOptions(
    IReadOnlyList<string> Paths,
    bool Write = false,
    TimeSpan? Timeout = null,
    int Jobs = 0,
    bool Emulate = false,
    bool Strict = false,
    string? Html = null,
    string? Pdf = null,
    string? ExportFolder = null,
    bool Help = false)
{
    /// <summary>Generous: a notebook's first cell also restores its NuGet packages.</summary>
    public static readonly TimeSpan DefaultCellTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The environment variable the course library reads to force emulation.</summary>
    public const string EmulateVariable = "JITNOTEBOOKS_EMULATE";

    public TimeSpan CellTimeout => Timeout ?? DefaultCellTimeout;

    public static string Usage => $"""
        Usage: dotnet run --project lib/JitNotebooks.Runner -- [options] [notebook.ipynb | folder]...

        Runs each notebook's cells top to bottom in the .NET Interactive C# kernel (the one VS Code and
        Jupyter run), a fresh kernel per notebook, and prints what every cell shows. With no path, runs
        every notebook in the repository's notebooks/ folder, in name order.

        Options:
          --write            store the outputs back into each .ipynb (atomically)
          --timeout <secs>   per-cell time limit (default {DefaultCellTimeout.TotalSeconds:0})
          --jobs <n>         notebooks run at once, one worker process each (default: {Environment.ProcessorCount}, the number of cores)
          --emulate          run JIT'd bytes in the course library's emulator instead of natively
          --strict           fail on cells of kernels the runner does not host (F#, PowerShell, …) instead of skipping them
          --html <folder>    write the course with this run's outputs as a static site (open <folder>/index.html; works offline)
          --pdf <file>       print the course with this run's outputs to one PDF (needs Chromium)
          --export-cs <dir>  do not run: write each notebook to <dir> as a .NET 10 file-based app (dotnet run <dir>/name.cs)
          -h, --help         show this help

        --write also stores a static picture of each chart (rendered by Chromium, when installed), so
        charts show where scripts do not run, such as GitHub's notebook view.

        Exit code: 0 when every cell ran as expected, 1 when a cell failed or a file was refused or
        could not be written, 2 for a bad command line.
        """;

    public static RunnerOptions Parse(IReadOnlyList<string> args)
    {
        var options = new RunnerOptions([]);
        var paths = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var (flag, inline) = args[i].StartsWith("--", StringComparison.Ordinal) && args[i].IndexOf('=') is > 2 and var eq
                ? (args[i][..eq], args[i][(eq + 1)..])
                : (args[i], null);
            string Value() => inline ?? (i + 1 < args.Count ? args[++i] : throw new UsageException($"{flag} needs a value; see --help"));
            options = flag switch
            {
                "--write" => options with { Write = true },
                "--emulate" => options with { Emulate = true },
                "--strict" => options with { Strict = true },
                "-h" or "--help" => options with { Help = true },
                "--timeout" => options with { Timeout = TimeSpan.FromSeconds(Positive(flag, Value(), "seconds, e.g. --timeout 120")) },
                "--html" => options with { Html = Value() },
                "--pdf" => options with { Pdf = Value() },
                "--export-cs" => options with { ExportFolder = Value() is { Length: > 0 } folder ? folder : throw new UsageException("--export-cs needs a folder, e.g. --export-cs out/") },
                "--jobs" => options with { Jobs = (int)Positive(flag, Value(), "whole number of processes, e.g. --jobs 2", whole: true) },
                _ when flag.StartsWith('-') => throw new UsageException($"unknown option {flag}; see --help"),
                _ => options,
            };
            if (!flag.StartsWith('-')) paths.Add(args[i]);
        }
        return options with { Paths = paths, Jobs = options.Jobs > 0 ? options.Jobs : Environment.ProcessorCount };
    }

    private static double Positive(string flag, string text, string what, bool whole = false) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0 && double.IsFinite(value)
            && (!whole || (value == Math.Floor(value) && value <= 256))
            ? value
            : throw new UsageException($"{flag} takes a positive {what}; \"{text}\" is not one");
}
