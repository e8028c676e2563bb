using System.Reflection;
using System.Xml.Linq;

namespace JitNotebooks.Runner.Kernel;

/// <summary>
/// The package versions this repository pins (Directory.Packages.props, embedded in the runner),
/// and which of them the runner can satisfy from the assemblies it ships.
/// There is no NuGet restore: a notebook's `#r "nuget: ..."` must name a pinned package and version.
/// </summary>
public static class PinnedPackages
{
    /// <summary>Package name → pinned version, read from the embedded Directory.Packages.props.</summary>
    public static IReadOnlyDictionary<string, string> Versions { get; } = ReadPinnedVersions();

    /// <summary>
    /// What each package the runner ships brings into a notebook: a type from each assembly to reference.
    /// Plotly.NET's API exposes F# and DynamicObj types, so they come along.
    /// </summary>
    private static readonly Dictionary<string, Type[]> Shipped = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Iced"] = [typeof(Iced.Intel.Decoder)],
        ["Plotly.NET"] = PlotlyTypes(),
        ["Plotly.NET.CSharp"] = [.. PlotlyTypes(), typeof(Plotly.NET.CSharp.Chart)],
        // The kernel extension itself is not installable; its effect (charts render as HTML) is built in.
        ["Plotly.NET.Interactive"] = PlotlyTypes(),
        ["Microsoft.DotNet.Interactive.Formatting"] = [typeof(Microsoft.DotNet.Interactive.Formatting.Formatter)],
    };

    private static Type[] PlotlyTypes() =>
        [typeof(Plotly.NET.GenericChart), typeof(Microsoft.FSharp.Core.FSharpOption<>), typeof(DynamicObj.DynamicObj)];

    /// <summary>The assembly files a pinned, shipped package adds to the notebook's references.</summary>
    /// <exception cref="MagicLineException">Not pinned, another version, or pinned but not shipped.</exception>
    public static IReadOnlyList<string> Resolve(string name, string? version)
    {
        if (!Versions.TryGetValue(name, out var pinned))
            throw new MagicLineException(
                $"package {name} is not pinned in Directory.Packages.props; the runner satisfies only pinned packages " +
                $"({string.Join(", ", Shipped.Keys.Where(Versions.ContainsKey).Select(k => $"{k} {Versions[k]}"))})");
        if (version != pinned)
            throw new MagicLineException(version is null
                ? $"#r \"nuget: {name}\" names no version; write #r \"nuget: {name}, {pinned}\" (the pinned version)"
                : $"package {name} {version} is not the pinned version; Directory.Packages.props pins {name} {pinned}");
        if (!Shipped.TryGetValue(name, out var types))
            throw new MagicLineException(
                $"package {name} {pinned} is pinned for the build, but the runner does not ship it to notebooks " +
                $"(it can provide: {string.Join(", ", Shipped.Keys.Where(Versions.ContainsKey))})");
        return types.Select(t => t.Assembly.Location).Distinct().ToList();
    }

    private static Dictionary<string, string> ReadPinnedVersions()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Directory.Packages.props")
            ?? throw new InvalidOperationException("The runner was built without its embedded Directory.Packages.props.");
        return XDocument.Load(stream).Descendants("PackageVersion")
            .ToDictionary(e => (string)e.Attribute("Include")!, e => (string)e.Attribute("Version")!, StringComparer.OrdinalIgnoreCase);
    }
}
