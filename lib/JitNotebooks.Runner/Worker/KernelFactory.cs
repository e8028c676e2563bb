using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.App;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Formatting;
using Microsoft.DotNet.Interactive.Jupyter;

namespace JitNotebooks.Runner.Worker;

/// <summary>
/// Builds the kernel as the dotnet-interactive tool does (its KernelBuilder), from the tool's own
/// assemblies: the C# kernel (#r "nuget:", display/HTML helpers, #!who, value sharing), html and
/// value, the magic commands and the loader of kernel extensions. The tool's F#, PowerShell, Mermaid
/// and HTTP kernels are left out: their cells are skipped.
/// </summary>
internal static class KernelFactory
{
    /// <summary>The kernels a notebook's cells may name that this runner runs (markdown: the #!markdown directive); others are skipped.</summary>
    public static readonly IReadOnlySet<string> Hosted = new HashSet<string> { "csharp", "html", "value", "markdown" };

    /// <summary>Formatter settings of the tool's browser front ends (VS Code, Jupyter): HTML by default, strings as text.</summary>
    public static void ResetFormatting()
    {
        Formatter.ResetToDefault();
        Formatter.DefaultMimeType = HtmlFormatter.MimeType;
        Formatter.SetPreferredMimeTypesFor(typeof(string), PlainTextFormatter.MimeType);
    }

    public static CompositeKernel Create()
    {
        var csharp = new CSharpKernel().UseNugetDirective().UseKernelHelpers().UseWho().UseValueSharing();
        var composite = new CompositeKernel();
        composite.Add(csharp, ["c#", "C#"]);
        composite.Add(new HtmlKernel());
        composite.Add(new KeyValueStoreKernel().UseWho());
        composite.DefaultKernelName = csharp.Name;
        // The tool's own code (its Jupyter and App assemblies): #!time, #!markdown, #!lsmagic, and kernel
        // extensions of added NuGet packages (interactive-extensions/dotnet: DLLs and extension.dib).
        return composite.UseDefaultMagicCommands().UseNuGetExtensions();
    }
}
