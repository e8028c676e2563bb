using JitNotebooks.Export.Browser;
using JitNotebooks.Export.Site;
using PuppeteerSharp;
using PuppeteerSharp.Media;

namespace JitNotebooks.Export.Pdf;

/// <summary>
/// Prints exported pages to PDF with headless Chromium: the page is opened offline, its charts
/// are drawn, then Chromium prints it with the site's print stylesheet (A4).
/// </summary>
public static class PdfExporter
{
    /// <summary>The width the pages are laid out at before printing: A4's printable width, so charts are drawn to fit.</summary>
    public const int PrintWidthPixels = 690;

    /// <summary>Prints the whole site (its <c>print.html</c>: the index, every notebook, the workshop pack) to one PDF.</summary>
    /// <exception cref="SiteExportException">The folder is not a site written by <see cref="SiteExporter"/>.</exception>
    /// <exception cref="OfflineViolationException">A page tried to use the network.</exception>
    public static Task PrintAsync(string siteDir, string pdfPath)
    {
        ArgumentNullException.ThrowIfNull(siteDir);
        string print = Path.Combine(Path.GetFullPath(siteDir), "print.html");
        if (!File.Exists(print))
            throw new SiteExportException($"{siteDir} has no print.html, so it is not a site written by SiteExporter.ExportAsync; export the site first, then print it.");
        return PrintPageAsync(print, pdfPath, pageNumbers: true);
    }

    /// <summary>Prints one exported page (the cheat sheet, say) to a PDF.</summary>
    /// <param name="htmlPath">A page of an exported site.</param>
    /// <param name="pdfPath">Where to write the PDF (its folder is created).</param>
    /// <param name="pageNumbers">Adds "n / total" at the foot of each page.</param>
    public static async Task PrintPageAsync(string htmlPath, string pdfPath, bool pageNumbers = true)
    {
        ArgumentNullException.ThrowIfNull(htmlPath);
        ArgumentNullException.ThrowIfNull(pdfPath);
        if (!File.Exists(htmlPath))
            throw new SiteExportException($"{htmlPath} does not exist; export the site first (SiteExporter.ExportAsync).");
        string target = Path.GetFullPath(pdfPath);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        await using var chromium = await HeadlessChromium.LaunchAsync();
        await using var page = await chromium.NewOfflinePageAsync(PrintWidthPixels, 1000);
        await page.OpenAsync(htmlPath);
        await page.WaitForChartsAsync(timeoutMs: 120_000);
        page.ThrowIfNetworkWasTried(htmlPath);
        var options = new PdfOptions
        {
            Format = PaperFormat.A4,
            PrintBackground = true,
            PreferCSSPageSize = true, // the stylesheet's @page: A4 and its margins
            DisplayHeaderFooter = pageNumbers,
            HeaderTemplate = "<span></span>",
            FooterTemplate = "<div style=\"width:100%;text-align:center;font-size:8px;color:#59636e\"><span class=\"pageNumber\"></span> / <span class=\"totalPages\"></span></div>",
            Outline = true,
            Tagged = true,
        };
        await page.Page.PdfAsync(target, options);
    }
}
