namespace JitNotebooks;

/// <summary>One byte of a program with its role: one row of a byte-map chart.</summary>
/// <param name="Offset">Offset from the start of the code.</param>
/// <param name="Value">The byte.</param>
/// <param name="Role">What the byte is for (REX, opcode, immediate, filler, data, …).</param>
/// <param name="Owner">The instruction or data block it belongs to, e.g. <c>mov    $0x1,%rax</c>.</param>
public readonly record struct ByteRoleRow(int Offset, byte Value, ByteRole Role, string Owner)
{
    /// <summary>The byte as two hex digits, e.g. <c>48</c>.</summary>
    public string Hex => Value.ToString("x2");
}

/// <summary>Turns a builder's <see cref="CodeBuilder.Roles"/> into one row per byte, ready for a chart or a table.</summary>
public static class ByteRoleRows
{
    /// <summary>One row per byte, in offset order (the bytes as they are now: patched or not).</summary>
    public static IReadOnlyList<ByteRoleRow> RoleRows(this CodeBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var bytes = builder.ToArray();
        return builder.Roles
            .SelectMany(span => Enumerable.Range(span.Start, span.Length)
                .Select(i => new ByteRoleRow(i, bytes[i], span.Role, span.Owner)))
            .ToArray();
    }

    /// <summary>The rows as a table: offset, byte, role, owner.</summary>
    public static TextTable RoleTable(this CodeBuilder builder)
    {
        var table = new TextTable("Offset", "Byte", "Role", "Part of");
        foreach (var row in RoleRows(builder)) table.AddRow($"{row.Offset:x}", row.Hex, row.Role, row.Owner);
        return table;
    }
}
