using Microsoft.AspNetCore.Html;

namespace JitNotebooks.Runner.Kernel;

/// <summary>
/// What the C# kernel puts in scope of every cell besides the imports (it does `using static
/// Microsoft.DotNet.Interactive.Kernel`): `display(value)` and `HTML(text)`.
/// </summary>
public sealed class KernelGlobals
{
    internal OutputCollector? Collector { get; set; }
    internal int CellGeneration { get; set; }

    /// <summary>Shows a value as an output of the running cell, formatted as the kernel would.</summary>
#pragma warning disable IDE1006 // The kernel's name, lower case.
    public DisplayedValue display(object? value, params string[] mimeTypes)
    {
        var collector = Collector ?? throw new InvalidOperationException("display() was called outside a cell.");
        var types = mimeTypes.Length > 0 ? mimeTypes : null;
        var position = collector.AddDisplay(ValueFormatting.Format(value, types));
        return new DisplayedValue(this, CellGeneration, position, types);
    }
#pragma warning restore IDE1006

    /// <summary>Raw HTML, shown as text/html.</summary>
    public IHtmlContent HTML(string html) => new HtmlString(html);
}

/// <summary>A displayed output that can be replaced, as the kernel's `display(...).Update(value)`.</summary>
public sealed class DisplayedValue
{
    private readonly KernelGlobals _globals;
    private readonly int _generation;
    private readonly int _position;
    private readonly IReadOnlyList<string>? _mimeTypes;

    internal DisplayedValue(KernelGlobals globals, int generation, int position, IReadOnlyList<string>? mimeTypes)
    {
        _globals = globals;
        _generation = generation;
        _position = position;
        _mimeTypes = mimeTypes;
    }

    /// <summary>Replaces the output in place; from a later cell, shows the new value there instead.</summary>
    public void Update(object? value)
    {
        var data = ValueFormatting.Format(value, _mimeTypes);
        if (_globals.Collector is not { } collector) return;
        if (_globals.CellGeneration == _generation) collector.Replace(_position, data);
        else collector.AddDisplay(data);
    }
}
