namespace JitNotebooks;

/// <summary>
/// The article's program, built with <see cref="CodeBuilder"/>: write(1, "Hello World!", 12).
/// Two layouts, as the article shows them.
/// </summary>
public static class HelloWorldProgram
{
    /// <summary>The message. Twelve bytes; no newline is written.</summary>
    public const string Message = "Hello World!";

    /// <summary>
    /// The first listing: data right after <c>ret</c> at 0x1f, so the patched <c>lea</c>
    /// (next instruction at 0x1c) gets displacement 3.
    /// </summary>
    public static CodeBuilder Unpacked() => Build(padToWord: false);

    /// <summary>
    /// The packed listing: one <c>0xcc</c> filler after <c>ret</c> puts the data at 0x20, on a
    /// 16-bit word boundary, so the displacement becomes 4; the article's slice also ends in
    /// <c>00 0a</c>, which is stored but never written (the count is 12).
    /// </summary>
    public static CodeBuilder Packed() => Build(padToWord: true);

    private static CodeBuilder Build(bool padToWord)
    {
        var b = new CodeBuilder();
        var message = b.CreateLabel("message");
        b.MovImm32(Reg64.Rax, Syscall.Write.Number)  // rax: which syscall
         .MovImm32(Reg64.Rdi, 1)                     // rdi: fd 1, stdout
         .MovImm32(Reg64.Rdx, Message.Length)        // rdx: byte count
         .LeaRipRelative(Reg64.Rsi, message)         // rsi: the buffer, address unknown yet
         .Syscall()
         .Ret()
         .MarkCodeEnd();
        if (padToWord) b.Align(2);
        b.Bind(message).EmitAscii(Message);
        if (padToWord) b.EmitData([0x00, 0x0A], "trailing 00 0a (never written)");
        b.Patch();
        return b;
    }
}
