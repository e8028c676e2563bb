using JitNotebooks.Compiler;
using JitNotebooks.Emulation;
using JitNotebooks.Verification;

namespace JitNotebooks.Tests.Memory;

/// <summary>
/// The double-mapped arena where bytes run in the emulator (a Mac, Windows, --emulate): one set of
/// bytes at two addresses, W^X enforced by the emulator, listed as the kernel lists a memfd's views.
/// </summary>
public class EmulatedDoubleMappingTests
{
    // mov $1,%rax; ret — the immediate's first byte is at offset 3.
    private static readonly byte[] ReturnOne = [0x48, 0xc7, 0xc0, 0x01, 0x00, 0x00, 0x00, 0xc3];

    [Fact]
    public void On_a_machine_without_memfd_the_arena_is_the_emulators_and_its_code_runs()
    {
        using var _ = NativePlatform.SimulateUnsupportedMachine(); // as on a Mac or a Windows laptop
        using var arena = new DoubleMappedCodeArena();
        Assert.True(arena.IsEmulated);
        var function = arena.Add(SampleFunctions.Add().ToArray());
        Assert.Equal(42, function.Call(40, 2));
    }

    [Fact]
    public void One_set_of_bytes_at_two_addresses_a_patch_through_one_runs_through_the_other()
    {
        using var emulated = NativePlatform.UseEmulator();
        using var arena = new DoubleMappedCodeArena();
        var function = arena.Add(ReturnOne);
        Assert.NotEqual(function.WritableAddress, function.Address);
        Assert.Equal(ReturnOne, function.ReadBytes());
        Assert.Equal(ReturnOne, function.ReadWritableViewBytes());
        Assert.Equal(1, function.Call());

        function.Patch(3, [0x07]);
        Assert.Equal(7, function.ReadBytes()[3]);
        Assert.Equal(7, function.Call());
    }

    [Fact]
    public void The_maps_list_one_rw_s_and_one_r_xs_line_of_the_same_file_and_nothing_writable_and_executable()
    {
        using var emulated = NativePlatform.UseEmulator();
        using var arena = new DoubleMappedCodeArena(growthBytes: 4096);
        arena.Add(ReturnOne);
        var views = arena.ReadMapsEntries().Where(v => v.Path.StartsWith("/memfd:", StringComparison.Ordinal)).ToList();
        Assert.Equal(["r-xs", "rw-s"], views.Select(v => v.Permissions).Order());
        Assert.Single(views.Select(v => v.Inode).Distinct());
        Assert.All(views, v => Assert.Equal((0UL, 4096UL), (v.Offset, v.Size)));
        Assert.All(views, v => Assert.EndsWith($"{arena.Name} (emulated)", v.Path));
        Assert.Contains(views, v => v.Start == (ulong)arena.WritableViewAddress && v.Permissions == "rw-s");
        Assert.Contains(views, v => v.Start == (ulong)arena.ExecutableViewAddress && v.Permissions == "r-xs");
        Assert.DoesNotContain(arena.ReadMapsEntries(), v => v.IsWritableAndExecutable);
        // The rest of each reservation is listed as reserved, inaccessible address space.
        Assert.Contains(arena.ReadMapsEntries(), v => v.Permissions == "---p");
        // Both views are addresses of this process that nothing else can take.
        Assert.NotEqual(arena.WritableViewAddress, arena.ExecutableViewAddress);
    }

    [Fact]
    public void The_emulator_enforces_W_xor_X_running_the_writable_view_faults()
    {
        using var emulated = NativePlatform.UseEmulator();
        using var arena = new DoubleMappedCodeArena();
        var function = arena.Add(ReturnOne);
        var fault = Assert.ThrowsAny<MemoryFaultException>(() => EmulatedExecution.Call(function.WritableAddress));
        Assert.Equal((ulong)function.WritableAddress, fault.Address);
    }

    [Fact]
    public void The_file_grows_in_steps_and_every_function_stays_callable()
    {
        using var emulated = NativePlatform.UseEmulator();
        using var arena = new DoubleMappedCodeArena(growthBytes: 4096);
        var big = new byte[3000];
        Array.Fill(big, (byte)0x90);                                  // nops, then the return-one function
        var functions = Enumerable.Range(0, 3).Select(_ => arena.Add([.. big, .. ReturnOne])).ToList();
        Assert.True(arena.MappedBytes >= 3 * 3008);
        Assert.All(functions, f => Assert.Equal(1, f.Call()));
        Assert.Equal(2, arena.ReadMapsEntries().Count(v => v.Path.StartsWith("/memfd:", StringComparison.Ordinal)));
    }

    [Fact]
    public void Freed_bytes_become_int3_in_both_views_and_dispose_unmaps_both()
    {
        nint readExecute;
        DoubleMappedFunction function;
        using (NativePlatform.UseEmulator())
        {
            var arena = new DoubleMappedCodeArena();
            function = arena.Add(ReturnOne);
            var second = arena.Add(ReturnOne);
            arena.Free(function);
            Assert.All(EmulatedAddressSpace.Read(function.Address, ReturnOne.Length), b => Assert.Equal(0xCC, b));
            Assert.Equal(1, second.Call());
            readExecute = arena.ExecutableViewAddress;
            arena.Dispose();
            Assert.Throws<ObjectDisposedException>(() => second.Call());
        }
        Assert.False(EmulatedAddressSpace.Owns(readExecute));
    }

    [Fact]
    public void The_capacity_is_lowered_to_what_the_emulator_sets_aside()
    {
        using var emulated = NativePlatform.UseEmulator();
        using var arena = new DoubleMappedCodeArena();
        Assert.Equal(DoubleMappedCodeArena.MaxEmulatedCapacity, arena.Capacity);
    }

    [Fact]
    public void The_compilers_lean_code_and_batches_run_from_the_emulated_views()
    {
        using var emulated = NativePlatform.UseEmulator();
        using var arena = new DoubleMappedCodeArena();
        var f = Parser.Parse("(a * a + b * b) % 1000 + a / 7 - b % (a + 7)", "a", "b");
        var compiled = new X64Compiler().Compile(f, arena);
        Assert.Equal(new X64Compiler().Generate(f).Bytes, compiled.Code.ReadBytes());
        long[] values = [-50, -7, 0, 3, 1000];
        Verify.SameResults(values.SelectMany(a => values.Select(b => (a, b))).ToArray(),
            t => compiled.Invoke(t.a, t.b), t => Interpreter.Evaluate(f, t.a, t.b), "emulated double-mapped", "interpreter");

        var batch = new X64Compiler().CompileBatch(f, arena);
        long[] rows = [1, 2, 30, 40, -5, 6];
        var results = new long[3];
        batch.Invoke(rows, results);
        Assert.Equal([Interpreter.Evaluate(f, 1, 2), Interpreter.Evaluate(f, 30, 40), Interpreter.Evaluate(f, -5, 6)], results);
    }
}
