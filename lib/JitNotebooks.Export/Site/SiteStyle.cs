namespace JitNotebooks.Export.Site;

/// <summary>The site's one stylesheet (Site/site.css, embedded in the assembly).</summary>
internal static class SiteStyle
{
    private static readonly Lazy<string> Text = new(() =>
    {
        using var stream = typeof(SiteStyle).Assembly.GetManifestResourceStream("JitNotebooks.Export.site.css")
            ?? throw new InvalidOperationException("site.css is not embedded; check the EmbeddedResource item in JitNotebooks.Export.csproj.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    public static string Css => Text.Value;
}
