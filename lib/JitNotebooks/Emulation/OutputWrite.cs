using System.Text;

namespace JitNotebooks.Emulation;

/// <summary>One <c>write</c> system call the emulated program made: the file descriptor and the bytes.</summary>
public sealed record OutputWrite(int Fd, byte[] Bytes)
{
    /// <summary>The bytes as UTF-8 text.</summary>
    public string Text => Encoding.UTF8.GetString(Bytes);

    public override string ToString() => $"fd {Fd}: \"{Text}\"";
}
