using System.Diagnostics;
using JitNotebooks.Tests.Runner;

namespace JitNotebooks.Tests.Tools;

/// <summary>
/// The outside tools some tests need — the real kernel (the pinned dotnet-interactive tool,
/// registered with Jupyter), Jupyter itself, Chromium — installed on first use when missing, so
/// `dotnet test` on a fresh machine runs every test and skips none. Debian packages need root
/// (CI runs as root); elsewhere the exception says what to install.
/// </summary>
public static class RequiredTools
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static bool s_kernel, s_jupyter, s_chromium;

    /// <summary>The Debian packages that give Jupyter's notebook executor and validator.</summary>
    public static readonly string[] JupyterPackages = ["jupyter-nbconvert", "python3-nbclient", "jupyter-client", "python3-nbformat"];

    /// <summary>Jupyter with the .net-csharp kernelspec of the pinned tool (`.config/dotnet-tools.json`).</summary>
    public static async Task EnsureRealKernelAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (!s_jupyter)
            {
                if (!Exists("jupyter-nbconvert") || !await SucceedsAsync("/usr/bin/python3", "-c", "import nbclient, nbformat"))
                    await AptInstallAsync(JupyterPackages);
                s_jupyter = true;
            }
            if (!s_kernel)
            {
                await RunAsync("dotnet", ["tool", "restore"], RunnerHarness.RepoRoot);
                var spec = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share", "jupyter", "kernels", ".net-csharp", "kernel.json");
                if (!File.Exists(spec))
                    await RunAsync("dotnet", ["interactive", "jupyter", "install"], RunnerHarness.RepoRoot);
                s_kernel = true;
            }
        }
        finally { Gate.Release(); }
    }

    /// <summary>Debian's Chromium at /usr/bin/chromium, with the fonts pages and chart images are measured in.</summary>
    public static async Task<string> EnsureChromiumAsync()
    {
        const string chromium = "/usr/bin/chromium";
        await Gate.WaitAsync();
        try
        {
            // fonts-liberation is only a Recommends of chromium; the cheat sheet's one page and the PNG bytes depend on it.
            if (!s_chromium && (!File.Exists(chromium) || !Directory.Exists("/usr/share/fonts/truetype/liberation") || !Directory.Exists("/usr/share/fonts/truetype/dejavu")))
                await AptInstallAsync(["chromium", "fonts-dejavu-core", "fonts-liberation"]);
            s_chromium = true;
            return chromium;
        }
        finally { Gate.Release(); }
    }

    private static async Task AptInstallAsync(string[] packages)
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/usr/bin/apt-get") || Environment.UserName != "root")
            throw new InvalidOperationException(
                $"These tests need the Debian packages {string.Join(" ", packages)}. Install them " +
                $"(sudo apt-get install -y {string.Join(" ", packages)}) and run the tests again.");
        await RunAsync("apt-get", ["update", "-qq"], "/");
        await RunAsync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", .. packages], "/",
            new() { ["DEBIAN_FRONTEND"] = "noninteractive" });
    }

    private static bool Exists(string command) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, command)));

    private static async Task<bool> SucceedsAsync(string file, params string[] args)
    {
        try
        {
            await RunAsync(file, args, "/");
            return true;
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    /// <summary>Runs a command; a non-zero exit throws with everything it printed.</summary>
    public static async Task<string> RunAsync(string file, IEnumerable<string> args, string folder, Dictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(file) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        foreach (var (k, v) in environment ?? []) info.Environment[k] = v;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(" ", info.ArgumentList)} exited with {process.ExitCode}:\n{await stdout}\n{await stderr}");
        return await stdout;
    }
}
