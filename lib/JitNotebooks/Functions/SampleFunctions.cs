namespace JitNotebooks;

/// <summary>
/// Notebook 07's three functions, built with <see cref="CodeBuilder"/> and the instructions of
/// <see cref="CodeBuilderInstructions"/>. Each method returns the patched program; add it to a
/// <see cref="CodeArena"/> to call it.
/// </summary>
public static class SampleFunctions
{
    /// <summary>
    /// <c>long add(long a, long b)</c>: a arrives in rdi, b in rsi, the result leaves in rax.
    /// <code>
    /// mov %rdi,%rax
    /// add %rsi,%rax
    /// ret
    /// </code>
    /// </summary>
    public static CodeBuilder Add()
    {
        var b = new CodeBuilder();
        b.MovRegReg(Reg64.Rax, Reg64.Rdi)   // rax = a
         .AddRegReg(Reg64.Rax, Reg64.Rsi)   // rax += b (wraps on overflow, like C#'s unchecked)
         .Ret();
        b.Patch();
        return b;
    }

    /// <summary>
    /// <c>long sum_to(long n)</c> = 1 + 2 + … + n (0 when n &lt; 1), wrapping on overflow. Counts n
    /// down to zero, so the loop ends with a <em>backward</em> conditional jump: its displacement
    /// is negative, filled in by the same <see cref="CodeBuilder.Patch"/> as the article's lea.
    /// <code>
    ///        xor  %rax,%rax     ; sum = 0
    ///        test %rdi,%rdi
    ///        jle  done          ; n &lt;= 0: nothing to add (forward jump)
    /// loop:  add  %rdi,%rax     ; sum += n
    ///        sub  $1,%rdi       ; n -= 1, sets ZF when n reaches 0
    ///        jne  loop          ; backward jump
    /// done:  ret
    /// </code>
    /// </summary>
    public static CodeBuilder SumTo() => SumTo(addsPerIteration: 1);

    /// <summary>
    /// The same loop with the body's <c>add</c> repeated: notebook 07's exercise asks how that
    /// moves the backward jump's displacement.
    /// </summary>
    internal static CodeBuilder SumTo(int addsPerIteration)
    {
        var b = new CodeBuilder();
        var loop = b.CreateLabel("loop");
        var done = b.CreateLabel("done");
        b.XorRegReg(Reg64.Rax, Reg64.Rax)
         .TestRegReg(Reg64.Rdi, Reg64.Rdi)
         .Jcc(JumpCondition.LessOrEqual, done)
         .Bind(loop);
        for (int i = 0; i < addsPerIteration; i++)
            b.AddRegReg(Reg64.Rax, Reg64.Rdi);
        b.SubImm(Reg64.Rdi, 1)
         .Jcc(JumpCondition.NotEqual, loop)
         .Bind(done)
         .Ret();
        b.Patch();
        return b;
    }

    /// <summary>
    /// <c>long f(long x)</c> = <c>callback(x) + x</c>, where callback is a C# method marked
    /// <c>[UnmanagedCallersOnly]</c> (or any System V function <c>long(long)</c>), whose address
    /// is baked into the code with <c>movabs</c>.
    /// <code>
    /// push   %rbx              ; rbx is callee-saved: keep the caller's value. Also realigns the stack:
    ///                          ; on entry rsp ≡ 8 (mod 16) (the call pushed 8 bytes); after this push, ≡ 0
    /// mov    %rdi,%rbx         ; x survives the callback in rbx (the callback must preserve rbx)
    /// movabs $callback,%rax
    /// call   *%rax             ; rax = callback(x); x is still in rdi
    /// add    %rbx,%rax         ; + x
    /// pop    %rbx
    /// ret
    /// </code>
    /// Call it without SuppressGCTransition: the callback re-enters managed code.
    /// </summary>
    /// <exception cref="ArgumentException">The callback pointer is null.</exception>
    public static CodeBuilder CallBack(nint callback)
    {
        if (callback == 0)
            throw new ArgumentException(
                "The callback pointer is null. Pass the address of an [UnmanagedCallersOnly] method, " +
                "e.g. (nint)(delegate* unmanaged<long, long>)&MyMethod.", nameof(callback));
        // Where the bytes run in the emulator (no Linux x86-64, or JITNOTEBOOKS_EMULATE=1), its call *%rax reaches the pointer through this.
        Emulation.NativeCallbacks.Register(callback, "callback", arity: 1);
        return CallBackCode(callback);
    }

    /// <summary>
    /// The bytes of <see cref="CallBack"/> without registering the pointer with the emulator: for
    /// listings, diagrams and checks of a pointer that is not a real function (a placeholder address)
    /// or will not outlive its memory. A registered pointer stays callable from emulated code for the
    /// life of the process, so only real, lasting functions may be registered.
    /// </summary>
    internal static CodeBuilder CallBackCode(nint callback)
    {
        var b = new CodeBuilder();
        b.Push(Reg64.Rbx)
         .MovRegReg(Reg64.Rbx, Reg64.Rdi)
         .MovImm64(Reg64.Rax, callback)
         .CallReg(Reg64.Rax)
         .AddRegReg(Reg64.Rax, Reg64.Rbx)
         .Pop(Reg64.Rbx)
         .Ret();
        b.Patch();
        return b;
    }
}
