using PuppeteerSharp;

namespace JitNotebooks.Export.Browser;

/// <summary>No Chromium to drive: the message says where it was looked for and how to install it.</summary>
public sealed class ChromiumNotFoundException(string message) : Exception(message);

/// <summary>A page tried to reach the network: the site must work offline, so this is a bug in the page.</summary>
public sealed class OfflineViolationException(string message) : Exception(message);

/// <summary>
/// The system's Chromium (Debian's <c>chromium</c> package), driven by PuppeteerSharp, never a
/// downloaded browser. Pages only load local files: any other request is aborted and recorded.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    /// <summary>Set this environment variable to use another Chromium or Chrome binary.</summary>
    public const string PathVariable = "JITNOTEBOOKS_CHROMIUM";

    /// <summary>Where Debian's package puts it, then other common places.</summary>
    public static readonly string[] KnownPaths = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable"];

    /// <summary>The flags the brief of this machine asks for: headless, no sandbox (root in CI), nothing phoning home.</summary>
    private static readonly string[] Flags =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-extensions",
        "--hide-scrollbars", "--font-render-hinting=none", "--allow-file-access-from-files",
    ];

    private readonly IBrowser _browser;

    private HeadlessChromium(IBrowser browser, string executable)
    {
        _browser = browser;
        Executable = executable;
    }

    /// <summary>The binary in use.</summary>
    public string Executable { get; }

    /// <summary>The Chromium binary: <see cref="PathVariable"/> if set, else the first of <see cref="KnownPaths"/> that exists.</summary>
    /// <exception cref="ChromiumNotFoundException">None exists.</exception>
    public static string FindExecutable()
    {
        string? chosen = Environment.GetEnvironmentVariable(PathVariable);
        if (!string.IsNullOrWhiteSpace(chosen))
            return File.Exists(chosen) ? chosen
                : throw new ChromiumNotFoundException($"{PathVariable} is {chosen}, which does not exist; point it at a Chromium binary or unset it.");
        return KnownPaths.FirstOrDefault(File.Exists)
            ?? throw new ChromiumNotFoundException(
                $"No Chromium found (looked in {string.Join(", ", KnownPaths)}). Install Debian's package: `apt-get install chromium`, " +
                $"or set {PathVariable} to a Chromium binary. The export never downloads a browser.");
    }

    /// <summary>Starts a headless Chromium with a fresh profile.</summary>
    public static async Task<HeadlessChromium> LaunchAsync()
    {
        string executable = FindExecutable();
        var browser = await Puppeteer.LaunchAsync(new LaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            Args = Flags,
            Timeout = 60_000,
        });
        return new HeadlessChromium(browser, executable);
    }

    /// <summary>A new tab that loads only <c>file:</c>, <c>data:</c>, <c>blob:</c> and <c>about:</c> URLs; see <see cref="OfflinePage.BlockedRequests"/>.</summary>
    public async Task<OfflinePage> NewOfflinePageAsync(int width = 1200, int height = 900)
    {
        IPage page;
        try { page = await _browser.NewPageAsync(); }
        catch (Exception e) when (e is MessageException or TargetClosedException)
        {
            // Seen on a loaded 2-core machine: Chromium drops the new tab's session as it attaches
            // ("Session with given id not found"). The browser itself is fine: ask once more.
            await Task.Delay(200);
            page = await _browser.NewPageAsync();
        }
        await page.SetViewportAsync(new ViewPortOptions { Width = width, Height = height, DeviceScaleFactor = 1 });
        var offline = new OfflinePage(page);
        await page.SetRequestInterceptionAsync(true);
        page.AddRequestInterceptor(async request =>
        {
            if (OfflinePage.IsLocal(request.Url)) await request.ContinueAsync();
            else
            {
                offline.Blocked(request.Url);
                await request.AbortAsync();
            }
        });
        return offline;
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.CloseAsync();
        await _browser.DisposeAsync();
    }
}

/// <summary>A tab that must stay offline, with what went wrong in it: console errors, page errors, requests it tried.</summary>
public sealed class OfflinePage : IAsyncDisposable
{
    private readonly List<string> _blocked = [];
    private readonly List<string> _errors = [];

    internal OfflinePage(IPage page)
    {
        Page = page;
        page.Console += (_, e) =>
        {
            if (e.Message.Type == ConsoleType.Error) lock (_errors) _errors.Add("console: " + e.Message.Text);
        };
        page.PageError += (_, e) => { lock (_errors) _errors.Add("page error: " + e.Message); };
        page.RequestFailed += (_, e) =>
        {
            if (IsLocal(e.Request.Url)) lock (_errors) _errors.Add($"failed to load {e.Request.Url}: {e.Request.FailureText}");
        };
    }

    /// <summary>The Puppeteer page, for what this class does not wrap.</summary>
    public IPage Page { get; }

    /// <summary>Requests that tried to leave the machine (aborted).</summary>
    public IReadOnlyList<string> BlockedRequests { get { lock (_blocked) return [.. _blocked]; } }

    /// <summary>Console errors, uncaught script errors, local files that failed to load.</summary>
    public IReadOnlyList<string> Errors { get { lock (_errors) return [.. _errors]; } }

    internal void Blocked(string url) { lock (_blocked) _blocked.Add(url); }

    internal static bool IsLocal(string url) =>
        url.StartsWith("file:", StringComparison.OrdinalIgnoreCase) || url.StartsWith("data:", StringComparison.OrdinalIgnoreCase) ||
        url.StartsWith("blob:", StringComparison.OrdinalIgnoreCase) || url.StartsWith("about:", StringComparison.OrdinalIgnoreCase);

    /// <summary>Opens a local HTML file and waits for it to load.</summary>
    public async Task OpenAsync(string htmlPath)
    {
        string url = new Uri(Path.GetFullPath(htmlPath)).AbsoluteUri;
        await Page.GoToAsync(url, new NavigationOptions { WaitUntil = [WaitUntilNavigation.Load], Timeout = 60_000 });
    }

    /// <summary>Waits until every chart container holds the svg plotly.js draws.</summary>
    /// <exception cref="WaitTaskTimeoutException">A chart did not draw within the time.</exception>
    public async Task WaitForChartsAsync(int timeoutMs = 30_000)
    {
        await Page.WaitForFunctionAsync(
            $"() => [...document.querySelectorAll('.{JitNotebooks.Charts.Chart.ContainerClass}')].every(c => c.querySelector('svg.main-svg'))",
            new WaitForFunctionOptions { Timeout = timeoutMs, PollingInterval = 100 });
    }

    /// <summary>Throws if the page tried the network.</summary>
    /// <exception cref="OfflineViolationException">It did.</exception>
    public void ThrowIfNetworkWasTried(string what)
    {
        var blocked = BlockedRequests;
        if (blocked.Count > 0)
            throw new OfflineViolationException($"{what} tried to load {blocked.Count} URL(s) from the network, which a static export must never do: {string.Join(", ", blocked.Take(5))}");
    }

    public async ValueTask DisposeAsync() => await Page.CloseAsync();
}
