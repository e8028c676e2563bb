namespace JitNotebooks;

/// <summary>
/// A named place in the code that instructions can refer to before it is known where it is.
/// Binding fixes its offset; <see cref="CodeBuilder.Patch"/> then fills every reference to it.
/// </summary>
/// <remarks>Named <c>CodeLabel</c> so it does not clash with Iced's <c>Label</c>.</remarks>
public sealed class CodeLabel
{
    internal CodeLabel(CodeBuilder owner, string name)
    {
        Owner = owner;
        Name = name;
    }

    internal CodeBuilder Owner { get; }

    public string Name { get; }

    /// <summary>Offset from the start of the code, once bound; null before.</summary>
    public long? Offset { get; internal set; }

    public bool IsBound => Offset is not null;

    public override string ToString() => IsBound ? $"{Name} @ 0x{Offset:x}" : $"{Name} (unbound)";
}
