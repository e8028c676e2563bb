using System.Text;

namespace JitNotebooks;

/// <summary>What code wrote to file descriptor 1 while <see cref="StdoutCapture"/> was listening.</summary>
public class CapturedOutput
{
    public CapturedOutput(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        Bytes = bytes;
    }

    /// <summary>Exactly the bytes written, in order.</summary>
    public byte[] Bytes { get; }

    /// <summary>The bytes decoded as UTF-8 (invalid sequences become U+FFFD).</summary>
    public string Text => Encoding.UTF8.GetString(Bytes);

    /// <summary>How many bytes were written.</summary>
    public int Length => Bytes.Length;

    public override string ToString() => Text;
}

/// <summary>Captured output together with the value the captured function returned.</summary>
public sealed class CapturedOutput<T>(byte[] bytes, T result) : CapturedOutput(bytes)
{
    /// <summary>What the function returned.</summary>
    public T Result { get; } = result;
}
