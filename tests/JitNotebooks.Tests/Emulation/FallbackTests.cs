using System.Text;
using System.Text.RegularExpressions;
using JitNotebooks.Compiler;
using JitNotebooks.Emulation;

namespace JitNotebooks.Tests.Emulation;

/// <summary>
/// The automatic fallback: every call path the notebooks use, run natively and then with
/// JITNOTEBOOKS_EMULATE's scope (<see cref="NativePlatform.UseEmulator"/>), prints the same
/// transcript apart from addresses, and in the second run the bytes really live in emulated memory.
/// </summary>
public partial class FallbackTests(Xunit.Abstractions.ITestOutputHelper output)
{
    /// <summary>What the notebooks do with the library, step by step, as text.</summary>
    private static string CourseTranscript(List<nint> addresses)
    {
        var t = new StringBuilder();
        void Line(object? o) => t.AppendLine(o?.ToString());

        // 02, 06: the article's program, both layouts.
        foreach (var program in new[] { HelloWorldProgram.Unpacked(), HelloWorldProgram.Packed() })
        {
            using var memory = ExecutableMemory.Create(program);
            addresses.Add(memory.Address);
            Line(memory);
            var output = memory.RunCapturingStdout();
            Line($"{output.Text} ({output.Length} bytes) {JitNotebooks.Exercises.Check.Hex(output.Bytes)}");
            Line(StdoutCapture.Run(() => memory.Call()).Result); // write's return value: 12
        }

        // 05: W^X in stages, seen in /proc/self/maps.
        var code = HelloWorldProgram.Packed().ToArray();
        var staging = ExecutableMemory.MapWritable(code.Length);
        addresses.Add(staging.Address);
        Line($"{staging.ReadMapsEntry()!.Permissions} {staging.PageCount} page(s) of {staging.PageSize}");
        staging.Write(code);
        Line(JitNotebooks.Exercises.Check.Hex(staging.ToArray()));
        var executable = staging.MakeExecutable();
        Line($"{executable.ReadMapsEntry()!.Permissions} covers: {executable.ReadMapsEntry()!.Covers(executable.Address, (ulong)executable.MappedSize)}");
        Line(Assert.Throws<InvalidOperationException>(() => staging.Write([0x90])).Message);
        Line(executable.RunCapturingStdout().Text);
        nint gone = executable.Address;
        executable.Dispose();
        Line(ProcMaps.Find(gone) is null ? "unmapped" : "still mapped");
        using (var rwx = ExecutableMemory.CreateReadWriteExecute_ArticleDemo(code))
        {
            addresses.Add(rwx.Address);
            Line($"{rwx.ReadMapsEntry()!.Permissions} w^x violated: {rwx.ReadMapsEntry()!.IsWritableAndExecutable}; {rwx.RunCapturingStdout().Text}");
        }

        // 07: add, sum_to and the callback, in a CodeArena.
        using (var arena = new CodeArena())
        {
            var add = arena.Add(SampleFunctions.Add());
            addresses.Add(add.Address);
            Line($"{add.Call(2, 40)} {add.Call(-7, 3)} {add.Call(long.MaxValue, 1)} {JitNotebooks.Exercises.Check.Hex(add.ReadBytes())}");
            var sum = arena.Add(SampleFunctions.SumTo());
            Line(string.Join(" ", new long[] { 0, -5, 1, 10, 100, 100_000 }.Select(n => sum.Call(n))));
            unsafe
            {
                var callback = arena.Add(SampleFunctions.CallBack((nint)(delegate* unmanaged<long, long>)&Callbacks.Square));
                Line(string.Join(" ", new long[] { 7, -3, 1000 }.Select(x => callback.Call(x))));
            }
            Line($"{arena.FunctionCount} functions, {arena.MappingCount} mapping(s), {arena.PagesUsed} page(s) used");
            Line(string.Join(" | ", arena.Mappings.Select(m => Mman.Describe(m.Protection))));
        }

        // 08: the compiler's output for many expressions, division errors included.
        using (var arena = new CodeArena())
        {
            var compiler = new X64Compiler();
            string[] sources =
            [
                "a * b + c", "(a + 3) * (b - 7) - c % 5 - a", "a / b", "a % b", "-a * -b",
                "(a * a + b * b) % 1000 + a / c - b % (c + 7)", "a - b - c - 9223372036854775807",
            ];
            long[][] inputs = [[10, 20, 30], [1, 0, 5], [long.MinValue, -1, 2], [-7, 2, -3], [long.MaxValue, long.MaxValue, 1]];
            foreach (var source in sources)
            {
                var f = Parser.Parse(source, "a", "b", "c");
                var compiled = compiler.Compile(f, arena);
                addresses.Add(compiled.Code.Address);
                foreach (var args in inputs)
                {
                    // On an error path rax is whatever the caller left there (the wrapper ignores it): only the status is shown.
                    var raw = compiled.InvokeRaw(args);
                    Line($"{source} {string.Join(",", args)}: {(raw.Status == JitStatus.Ok ? raw.Value : raw.Status)} {Outcome(() => compiled.Invoke(args))}");
                }
            }
            var batch = new X64Compiler(2).CompileAll(sources.Select(s => Parser.Parse(s, "a", "b", "c")).ToArray(), arena);
            Line(string.Join(" ", batch.Select(c => Outcome(() => c.Invoke(3, 4, 5)))));
        }

        // Exercises06's checks run through the same ExecutableMemory calls; they are left out here only because they
        // still guard them with NativePlatform.CanRunJitCode (native only), which says "cannot run" when emulated.
        return t.ToString();
    }

    private static string Outcome(Func<long> f)
    {
        try { return f().ToString(); }
        catch (ArithmeticException e) { return e.GetType().Name; }
    }

    [GeneratedRegex("0x[0-9a-f]{6,}")]
    private static partial Regex Address();

    [Fact]
    public void Every_course_program_prints_the_same_natively_and_emulated()
    {
        var nativeAddresses = new List<nint>();
        string native = CourseTranscript(nativeAddresses);
        Assert.All(nativeAddresses, a => Assert.False(EmulatedExecution.Owns(a)));

        var emulatedAddresses = new List<nint>();
        string emulated;
        using (NativePlatform.UseEmulator())
        {
            Assert.Equal(ExecutionMode.Emulated, NativePlatform.Mode);
            emulated = CourseTranscript(emulatedAddresses);
        }
        Assert.Equal(nativeAddresses.Count, emulatedAddresses.Count);
        Assert.Contains("Hello World! (12 bytes)", native);
        Assert.Contains("rwxp w^x violated: True; Hello World!", native);
        Assert.Contains("DivideByZeroException", native);
        output.WriteLine(emulated);
        Assert.Equal(Address().Replace(native, "0xADDR"), Address().Replace(emulated, "0xADDR"));
    }

    [Fact]
    public void Emulated_mappings_appear_in_proc_maps_marked_and_page_by_page()
    {
        using var scope = NativePlatform.UseEmulator();
        using var arena = new CodeArena(pagesPerChunk: 4);
        var f = arena.Add(SampleFunctions.Add());
        Assert.True(EmulatedExecution.Owns(f.Address));
        var lines = ProcMaps.ReadSelf().Where(e => e.Contains(f.Address) || e.Start == (ulong)f.Address + 4096).ToArray();
        Assert.Equal(["r-xp", "---p"], lines.Select(l => l.Permissions));   // the used page, then the rest of the chunk
        Assert.All(lines, l => Assert.Equal("[emulated]", l.Path));
        Assert.All(lines, l => Assert.Equal(l, ProcMaps.Parse(l.Line))); // the lines read back as /proc/self/maps lines
        Assert.Equal(0UL, (ulong)f.Address % 4096);                          // page-aligned, as mmap's
        Assert.Equal(4096, arena.Mappings[0].Length);
    }

    [Fact]
    public void W_xor_X_still_holds_in_the_emulator()
    {
        using var scope = NativePlatform.UseEmulator();
        // lea (%rip),%rax ; movb $0x90,(%rax) ; ret — code that writes to its own r-x page
        using var memory = ExecutableMemory.Create([0x48, 0x8d, 0x05, 0, 0, 0, 0, 0xc6, 0x00, 0x90, 0xc3]);
        var e = Assert.Throws<ProtectionFaultException>(() => memory.Call());
        Assert.Equal(7, e.Offset);
        Assert.Equal("r-x", Mman.Describe(e.Protection));

        // The article's rwx page allows it: the movb overwrites its own first byte (offset 7, where rax points).
        using var rwx = ExecutableMemory.CreateReadWriteExecute_ArticleDemo([0x48, 0x8d, 0x05, 0, 0, 0, 0, 0xc6, 0x00, 0x90, 0xc3]);
        rwx.Call();
        Assert.Equal(0x90, rwx.ToArray()[7]);
    }

    [Fact]
    public void Mistakes_become_typed_exceptions_instead_of_crashes()
    {
        using var scope = NativePlatform.UseEmulator();
        using var arena = new CodeArena();
        Assert.Throws<InvalidInstructionException>(() => arena.Add([0x06]).Call());
        Assert.Throws<BreakpointTrapException>(() => arena.Add([0xcc]).Call());
        Assert.Throws<UnmappedMemoryException>(() => arena.Add([0x48, 0x8b, 0x07, 0xc3]).Call(0)); // mov (%rdi),%rax with rdi = 0
        var exit = Assert.Throws<ProgramExitedException>(() => arena.Add([0xb8, 60, 0, 0, 0, 0xbf, 7, 0, 0, 0, 0x0f, 0x05]).Call());
        Assert.Equal(7, exit.Status);
        Assert.Contains("kernel", exit.Message);
    }

    [Fact]
    public void A_raw_function_pointer_cannot_be_emulated_and_says_so()
    {
        using var scope = NativePlatform.UseEmulator();
        var e = Assert.Throws<PlatformNotSupportedException>(() => NativePlatform.ThrowIfUnsupported("Calling through a raw function pointer"));
        Assert.Contains("memory.Call()", e.Message);
        Assert.Contains("emulator", e.Message);
        Assert.False(NativePlatform.CanRunJitCode);
        Assert.True(NativePlatform.IsEmulated);
        Assert.Contains("NativePlatform.UseEmulator() asks for the built-in x86-64 emulator", NativePlatform.Describe());
        Assert.Contains("emulator", NativePlatform.EmulationNote);
    }

    [Fact]
    public void Emulated_calls_from_many_threads_agree()
    {
        using var scope = NativePlatform.UseEmulator();
        using var arena = new CodeArena();
        var compiled = new X64Compiler().Compile(Parser.Parse("(a * a + b * b) % 1000 + a / c", "a", "b", "c"), arena);
        var results = new long[64];
        Parallel.For(0, results.Length, i => results[i] = compiled.Invoke(i, 2 * i, i + 1));
        Assert.Equal(Enumerable.Range(0, 64).Select(i => (long)((i * i + 4 * i * i) % 1000 + i / (i + 1))), results);
    }

    [Fact]
    public void Memory_from_the_other_mode_keeps_its_own_mode()
    {
        using var native = ExecutableMemory.Create(SampleFunctions.Add());
        ExecutableMemory emulated;
        using (NativePlatform.UseEmulator())
        {
            emulated = ExecutableMemory.Create(SampleFunctions.Add());
            Assert.Equal(5, native.Call(2, 3)); // native memory runs natively, scope or not
        }
        Assert.Equal(5, emulated.Call(2, 3));   // emulated memory stays emulated after the scope
        Assert.True(EmulatedExecution.Owns(emulated.Address));
        emulated.Dispose();
        Assert.False(EmulatedExecution.Owns(emulated.AddressOrZero()));
    }
}

internal static class ExecutableMemoryTestExtensions
{
    public static nint AddressOrZero(this ExecutableMemory m) => m.IsDisposed ? 0 : m.Address;
}

public class EmulatedMappingMisuseTests
{
    [Fact]
    public void The_emulated_mmap_refuses_what_it_cannot_do_with_errno_style_messages()
    {
        using var scope = NativePlatform.UseEmulator();
        nint page = Mman.MapAnonymousPages(8192, Protection.Read | Protection.Write);
        var partial = Assert.Throws<NativeMemoryException>(() => Mman.Unmap(page, 4096));
        Assert.Contains("whole mappings", partial.Message);
        Assert.Throws<NativeMemoryException>(() => Mman.Protect(page + 4096, 8192, Protection.Read)); // runs past the mapping
        Mman.Protect(page + 4096, 4096, Protection.Read);
        Assert.Equal(["rw-p", "r--p"], ProcMaps.ReadSelf().Where(e => e.Start >= (ulong)page && e.Start < (ulong)page + 8192).Select(e => e.Permissions));
        Mman.Unmap(page, 8192);
        Assert.False(EmulatedExecution.Owns(page));
        Assert.Throws<NativeMemoryException>(() => Mman.MapAnonymousPages(0, Protection.Read));
    }
}

public class FallbackStackTests
{
    [Fact]
    public unsafe void Every_threads_emulated_stack_keeps_calls_aligned()
    {
        // The callback program checks rsp at its call: on many threads, each with its own emulated stack.
        nint square = (nint)(delegate* unmanaged<long, long>)&Callbacks.Square;
        using var scope = NativePlatform.UseEmulator();
        using var arena = new CodeArena();
        var f = arena.Add(SampleFunctions.CallBack(square));
        var results = new long[32];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var thread = new Thread(() => results[i] = f.Call(i));
            thread.Start();
            thread.Join();
        });
        Assert.Equal(Enumerable.Range(0, 32).Select(i => (long)i * i + i), results);
    }
}
