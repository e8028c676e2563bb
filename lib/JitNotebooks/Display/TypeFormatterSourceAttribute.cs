namespace JitNotebooks.Display;

/// <summary>
/// The .NET Interactive kernel finds formatters by this attribute's <em>name</em>, so the library
/// can show HTML and text in a notebook without referencing any kernel package (a reference to an
/// older Formatting package than the kernel's is what made the kernel print CS1701 warnings).
/// See dotnet/interactive's docs/formatting.md, "TypeFormatterSourceAttribute".
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
internal sealed class TypeFormatterSourceAttribute(Type formatterSourceType) : Attribute
{
    public Type FormatterSourceType { get; } = formatterSourceType;

    public string[]? PreferredMimeTypes { get; set; }
}
