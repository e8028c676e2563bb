using System.Diagnostics;
using System.Reflection;
using System.Runtime.Loader;
using Markdig;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Directives;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;
using Microsoft.DotNet.Interactive.PackageManagement;

namespace JitNotebooks.Runner.Worker;

/// <summary>
/// Builds the kernel the way the dotnet-interactive tool does (its KernelBuilder), with the kernels
/// whose packages are served here: C# (#r "nuget:", display/HTML helpers, #!who, value sharing), html
/// and value. The tool's Jupyter package (not served) supplies #!time and #!markdown: those two are
/// re-created below, as is the tool's loading of kernel extensions from NuGet packages.
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
        var csharp = new CSharpKernel().UseKernelHelpers().UseWho().UseValueSharing();
        csharp.UseNugetDirective((kernel, packages) =>
        {
            kernel.AddAssemblyReferences(packages.SelectMany(p => p.AssemblyPaths));
            return Task.CompletedTask;
        });
        var composite = new CompositeKernel();
        composite.Add(csharp, ["c#", "C#"]);
        composite.Add(new HtmlKernel());
        composite.Add(new KeyValueStoreKernel().UseWho());
        composite.DefaultKernelName = csharp.Name;
        AddTimeDirective(composite);
        AddMarkdownDirective(composite);
        LoadExtensionsOfAddedPackages(composite);
        return composite;
    }

    /// <summary>#!time: the cell's wall time after its outputs, worded as the tool words it.</summary>
    private static void AddTimeDirective(Kernel kernel) =>
        kernel.AddDirective(new KernelActionDirective("#!time") { Description = "Time the execution of a command" }, (command, context) =>
        {
            var clock = Stopwatch.StartNew();
            context.OnComplete(done => done.Publish(new DisplayedValueProduced(clock.Elapsed, context.Command,
                [new FormattedValue(PlainTextFormatter.MimeType, $"Wall time: {clock.Elapsed.TotalMilliseconds}ms")])));
            return Task.CompletedTask;
        });

    /// <summary>#!markdown: the rest of the cell rendered to HTML with Markdig, as the tool does.</summary>
    private static void AddMarkdownDirective(Kernel kernel)
    {
        var pipeline = new MarkdownPipelineBuilder().UseMathematics().UseAdvancedExtensions().Build();
        kernel.AddDirective(new KernelActionDirective("#!markdown") { Description = "Convert the code that follows from Markdown into HTML" }, (command, context) =>
        {
            if (context.Command is SubmitCode submit)
            {
                var html = Markdown.ToHtml(submit.Code.Replace("#!markdown", "").Trim(), pipeline);
                context.Publish(new DisplayedValueProduced(html, context.Command, [new FormattedValue(HtmlFormatter.MimeType, html)]));
                context.Complete(submit);
            }
            return Task.CompletedTask;
        });
    }

    /// <summary>
    /// As the tool does: after a command that added a NuGet package, load every IKernelExtension
    /// from the package's interactive-extensions/dotnet folder (e.g. a package's custom formatters).
    /// </summary>
    private static void LoadExtensionsOfAddedPackages(CompositeKernel kernel)
    {
        var added = new Queue<string>();
        var seen = new HashSet<string>();
        kernel.RegisterForDisposal(kernel.KernelEvents.Subscribe(e =>
        {
            if (e is PackageAdded { PackageReference.PackageRoot: { } root } && seen.Add(root))
                lock (added) added.Enqueue(root);
        }));
        kernel.AddMiddleware(async (command, context, next) =>
        {
            await next(command, context);
            while (true)
            {
                string root;
                lock (added)
                {
                    if (added.Count == 0) break;
                    root = added.Dequeue();
                }
                var folder = Path.Combine(root, "interactive-extensions", "dotnet");
                if (!Directory.Exists(folder)) continue;
                foreach (var dll in Directory.GetFiles(folder, "*.dll"))
                {
                    var assembly = AssemblyLoadContext.Default.LoadFromAssemblyPath(dll);
                    var types = assembly.ExportedTypes.Where(t => !t.IsAbstract && !t.IsInterface && typeof(IKernelExtension).IsAssignableFrom(t)).ToArray();
                    if (types.Length > 0) KernelInvocationContextExtensions.Display(context, $"Loading extensions from `{assembly.Location}`");
                    foreach (var type in types)
                    {
                        try
                        {
                            await ((IKernelExtension)Activator.CreateInstance(type)!).OnLoadAsync(kernel);
                        }
                        catch (Exception ex) when (ex is not OutOfMemoryException)
                        {
                            context.Publish(new ErrorProduced($"Failed to load kernel extension \"{type.Name}\" from assembly {assembly.Location}", context.Command));
                            context.Fail(context.Command, ex is TargetInvocationException { InnerException: { } inner } ? inner : ex);
                        }
                    }
                }
            }
        });
    }
}
