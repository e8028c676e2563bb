using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace JitNotebooks.Benchmarks;

/// <summary>
/// `-- --course [runs]`: runs the whole course with the runner several times, with its default
/// options (one worker per core) and with --jobs 1, and prints the medians: the whole command's
/// wall time, the course time the runner reports, and the median time of a notebook's later cells.
/// A whole process is timed from outside, so this is a report, not a BenchmarkDotNet benchmark.
/// Build the runner first (`dotnet build`).
/// </summary>
internal static partial class CourseRunReport
{
    public static void Run(string[] args)
    {
        int runs = args.SkipWhile(a => a != "--course").Skip(1).Select(a => int.TryParse(a, out var n) ? n : 0).FirstOrDefault(n => n > 0);
        if (runs == 0) runs = 5;
        var root = FindRoot();
        var runner = Path.Combine(root, "artifacts", "bin", "JitNotebooks.Runner", "debug", "JitNotebooks.Runner.dll");
        if (!File.Exists(runner))
            throw new FileNotFoundException($"{runner} is missing: run `dotnet build` at the repository root first.", runner);
        Console.WriteLine($"The whole course, {runs} runs after one warm-up, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
        Console.WriteLine($"{"options",-16} {"wall (median)",14} {"course (median)",16} {"later cells (median)",21} {"min–max wall",16}");
        foreach (var options in new[] { Array.Empty<string>(), ["--jobs", "1"] })
        {
            Once(runner, root, options); // warm-up: disk cache, NuGet restore of the notebooks' packages
            var results = Enumerable.Range(0, runs).Select(_ => Once(runner, root, options)).ToList();
            var walls = results.Select(r => r.Wall).Order().ToList();
            Console.WriteLine($"{(options.Length == 0 ? "(default)" : string.Join(" ", options)),-16} {Median(walls),13:0.00}s {Median(results.Select(r => r.Course).Order().ToList()),15:0.00}s " +
                              $"{Median(results.SelectMany(r => r.LaterCells).Order().ToList()) * 1000,19:0} ms {walls[0],7:0.00}–{walls[^1]:0.00}s");
        }
    }

    private static (double Wall, double Course, List<double> LaterCells) Once(string runner, string root, string[] options)
    {
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(runner);
        foreach (var o in options) info.ArgumentList.Add(o);
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var wall = clock.Elapsed.TotalSeconds;
        if (process.ExitCode != 0) throw new InvalidOperationException($"the runner failed (exit {process.ExitCode}):\n{output}\n{stderr.Result}");
        var course = CourseTime().Match(output);
        double seconds = double.Parse(course.Groups[1].Value, CultureInfo.InvariantCulture) / (course.Groups[2].Value == "ms" ? 1000 : 1);
        // Every cell line but each notebook's first (which also loads the notebook's packages).
        var later = new List<double>();
        foreach (var notebook in output.Split("\n== ").Skip(1))
            later.AddRange(CellTime().Matches(notebook).Skip(1).Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) / 1000));
        return (wall, seconds, later);
    }

    private static double Median(IReadOnlyList<double> sorted) =>
        sorted.Count == 0 ? 0 : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "JitNotebooks.sln"))) return dir.FullName;
        throw new InvalidOperationException("JitNotebooks.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"cell\(s\) run in ([\d.]+) (ms|s)")]
    private static partial Regex CourseTime();
    [GeneratedRegex(@"cell \d+\s+(?:ok|raised, as expected) \((\d+) ms\)")]
    private static partial Regex CellTime();
}
