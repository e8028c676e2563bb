using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text;

namespace JitNotebooks.Export.Site;

/// <summary>
/// plotly.js, as the Plotly.NET package embeds it. The site carries it once, as a local file, so
/// charts draw from <c>file://</c> with no network; the chart images use the same copy.
/// </summary>
public static class PlotlyJs
{
    /// <summary>The version <see cref="JitNotebooks.Charts.Chart"/> asks for; Plotly.NET 6.0.0 embeds the same.</summary>
    public const string Version = JitNotebooks.Charts.Chart.PlotlyJsVersion;

    /// <summary>The name of the manifest resource inside Plotly.NET.dll.</summary>
    public const string ResourceName = "Plotly.NET.plotly-" + Version + ".min.js";

    /// <summary>The file name the site gives it.</summary>
    public const string FileName = "plotly.min.js";

    private static readonly Lazy<string> Source = new(Load);

    /// <summary>The whole minified script.</summary>
    /// <exception cref="InvalidOperationException">The Plotly.NET assembly no longer embeds this version.</exception>
    public static string Text => Source.Value;

    /// <summary>Where the build copies Plotly.NET.dll (as a file: it is read, never loaded).</summary>
    public static string AssemblyPath => Path.Combine(Path.GetDirectoryName(typeof(PlotlyJs).Assembly.Location)!, "plotly", "Plotly.NET.dll");

    private static string Load()
    {
        using var pe = new PEReader(File.OpenRead(AssemblyPath));
        var metadata = pe.GetMetadataReader();
        var names = new List<string>();
        foreach (var handle in metadata.ManifestResources)
        {
            var resource = metadata.GetManifestResource(handle);
            var name = metadata.GetString(resource.Name);
            names.Add(name);
            if (name != ResourceName) continue;
            // An embedded resource is a 4-byte length then the bytes, at its offset in the resources directory.
            var resources = pe.GetSectionData(pe.PEHeaders.CorHeader!.ResourcesDirectory.RelativeVirtualAddress).GetReader();
            resources.Offset = (int)resource.Offset;
            var length = resources.ReadInt32();
            return Encoding.UTF8.GetString(resources.ReadBytes(length));
        }
        throw new InvalidOperationException(
            $"{AssemblyPath} has no resource {ResourceName} (it has: {string.Join(", ", names.Where(n => n.EndsWith(".js", StringComparison.Ordinal)))}). " +
            "Pin the Plotly.NET version that embeds plotly.js " + Version + " in Directory.Packages.props, or update Chart.PlotlyJsVersion.");
    }
}
