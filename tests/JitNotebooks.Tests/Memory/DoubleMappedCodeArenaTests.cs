namespace JitNotebooks.Tests.Memory;

public class DoubleMappedCodeArenaTests
{
    private static byte[] ReturnConstant(int value) => new CodeBuilder().MovImm32(Reg64.Rax, value).Ret().ToArray();

    private static ProcMapsEntry Line(IEnumerable<ProcMapsEntry> maps, nint address) =>
        ProcMaps.Find(maps, address) ?? throw new Xunit.Sdk.XunitException($"0x{address:x} is not mapped");

    [Fact]
    public void Code_written_through_the_rw_view_runs_from_the_r_x_view_at_another_address()
    {
        using var arena = new DoubleMappedCodeArena();
        var f = arena.Add(ReturnConstant(42));
        Assert.NotEqual(f.Address, f.WritableAddress);
        Assert.Equal(42, f.Call());
        Assert.Equal(ReturnConstant(42), f.ReadBytes());
        Assert.Equal(f.ReadBytes(), f.ReadWritableViewBytes());
        Assert.Equal(arena.ExecutableViewAddress + (nint)f.Offset, f.Address);
        Assert.Equal(arena.WritableViewAddress + (nint)f.Offset, f.WritableAddress);
    }

    [Fact]
    public void A_byte_written_through_the_rw_view_is_what_the_r_x_view_executes()
    {
        // One file, two views: the same physical pages. Change the immediate of `mov $1,%eax`.
        using var arena = new DoubleMappedCodeArena();
        var f = arena.Add(ReturnConstant(1));
        Assert.Equal(1, f.Call());
        f.Patch(3, [7]); // mov's imm32 starts at byte 3 (48 c7 c0 imm32)
        Assert.Equal(7, f.Call());
        Assert.Equal(7, f.ReadBytes()[3]);
        Assert.Throws<ArgumentOutOfRangeException>(() => f.Patch(7, [0xC3, 0xC3]));
        Assert.Throws<ArgumentOutOfRangeException>(() => f.Patch(-1, [0xC3]));
    }

    [Fact]
    public void Proc_maps_shows_an_rw_s_view_and_an_r_x_s_view_of_the_memfd_and_never_rwx()
    {
        using var arena = new DoubleMappedCodeArena(capacity: 1 << 20, growthBytes: 4096);
        var functions = Enumerable.Range(0, 1000).Select(i => arena.Add(ReturnConstant(i))).ToList(); // 16 KB: grows 4 times
        Assert.Equal(999, functions[^1].Call());
        var maps = ProcMaps.ReadSelf();
        var rw = Line(maps, arena.WritableViewAddress);
        var rx = Line(maps, arena.ExecutableViewAddress);
        Assert.Equal("rw-s", rw.Permissions);
        Assert.Equal("r-xs", rx.Permissions);
        Assert.Equal($"/memfd:{arena.Name} (deleted)", rw.Path);
        Assert.Equal(rw.Path, rx.Path);
        Assert.Equal(rw.Inode, rx.Inode); // the same file
        // Each grown step merged into one line per view.
        Assert.True(rw.Covers(arena.WritableViewAddress, (ulong)arena.MappedBytes), rw.Line);
        Assert.True(rx.Covers(arena.ExecutableViewAddress, (ulong)arena.MappedBytes), rx.Line);
        var ours = arena.ReadMapsEntries();
        Assert.DoesNotContain(ours, e => e.IsWritableAndExecutable);
        Assert.Equal(["r-xs", "rw-s"], ours.Where(e => e.Path.Length > 0).Select(e => e.Permissions).Order());
        // Everything else of the reservations is inaccessible address space.
        Assert.All(ours.Where(e => e.Path.Length == 0), e => Assert.Equal("---p", e.Permissions));
        // And no function's address is in a writable line.
        Assert.All(functions, f => Assert.Equal(Protection.Read | Protection.Execute, Line(maps, f.Address).Protection));
    }

    [Fact]
    public void No_mapping_of_the_process_is_writable_and_executable_after_compiling_into_it()
    {
        using var arena = new DoubleMappedCodeArena();
        var compiled = new JitNotebooks.Compiler.X64Compiler().Compile(JitNotebooks.Compiler.Parser.Parse("a * 3 + 1", "a"), arena);
        Assert.Equal(31, compiled.Invoke(10));
        var views = arena.ReadMapsEntries();
        Assert.NotEmpty(views);
        Assert.DoesNotContain(views, e => e.IsWritableAndExecutable);
    }

    [Fact]
    public void The_file_grows_in_steps_and_every_function_keeps_its_address()
    {
        using var arena = new DoubleMappedCodeArena(capacity: 1 << 20, growthBytes: 8192);
        Assert.Equal(0, arena.MappedBytes);
        Assert.Empty(arena.Views);
        var first = arena.Add(ReturnConstant(1));
        Assert.Equal(8192, arena.MappedBytes);
        var more = Enumerable.Range(0, 2000).Select(i => arena.Add(ReturnConstant(i))).ToList(); // 32 KB more
        Assert.Equal(32768, arena.MappedBytes); // 2001 * 16 = 32016 bytes: four steps of 8 KiB
        Assert.Equal(1, first.Call());
        Assert.All(more.Select((f, i) => (f, i)), t => Assert.Equal(t.i, t.f.Call()));
        Assert.All(more, f => Assert.Equal(0, f.Address % DoubleMappedCodeArena.FunctionAlignment));
        Assert.Equal(2001, arena.FunctionCount);
        Assert.Equal(2001 * 16, arena.BytesInUse);
        var views = arena.Views;
        Assert.Equal(2, views.Count);
        Assert.All(views, v => Assert.Equal(arena.MappedBytes, v.Length));
    }

    [Fact]
    public void Freed_bytes_are_reused_and_calls_through_a_freed_function_throw()
    {
        using var arena = new DoubleMappedCodeArena();
        var a = arena.Add(ReturnConstant(1));
        var b = arena.Add(ReturnConstant(2));
        var c = arena.Add(ReturnConstant(3));
        arena.Free(b);
        Assert.True(b.IsFreed);
        Assert.False(b.IsCallable);
        Assert.Equal(16, arena.FreeBytes);
        Assert.Equal([0xCC, 0xCC, 0xCC, 0xCC], Read(b.WritableAddress, 4)); // int3: a stale pointer traps
        var ex = Assert.Throws<ObjectDisposedException>(() => b.Call());
        Assert.Contains("freed", ex.Message);
        var d = arena.Add(ReturnConstant(4));
        Assert.Equal(b.Address, d.Address); // the hole is reused
        Assert.Equal(0, arena.FreeBytes);
        Assert.Equal((1, 3, 4), (a.Call(), c.Call(), d.Call()));
    }

    private static unsafe byte[] Read(nint address, int length) => new ReadOnlySpan<byte>((void*)address, length).ToArray();

    [Fact]
    public void Freeing_the_top_function_lowers_the_top_and_merges_the_holes_below_it()
    {
        using var arena = new DoubleMappedCodeArena();
        var fs = Enumerable.Range(0, 4).Select(i => arena.Add(ReturnConstant(i))).ToList();
        arena.Free(fs[1]);
        arena.Free(fs[2]);
        Assert.Equal(32, arena.FreeBytes);
        arena.Free(fs[3]); // the top: it and the two holes below become unused space again
        Assert.Equal(0, arena.FreeBytes);
        Assert.Equal(16, arena.BytesInUse);
        Assert.Equal(fs[1].Address, arena.Add(ReturnConstant(9)).Address);
    }

    [Fact]
    public void Freeing_twice_or_in_the_wrong_arena_is_refused()
    {
        using var arena = new DoubleMappedCodeArena();
        using var other = new DoubleMappedCodeArena();
        var f = arena.Add(ReturnConstant(1));
        var g = other.Add(ReturnConstant(2));
        Assert.Contains("another arena", Assert.Throws<ArgumentException>(() => arena.Free(g)).Message);
        arena.Free(f);
        Assert.Contains("freed already", Assert.Throws<InvalidOperationException>(() => arena.Free(f)).Message);
        Assert.Equal(2, g.Call());
        using var mprotectArena = new CodeArena();
        var h = mprotectArena.Add(ReturnConstant(3));
        Assert.Contains("CodeArena", Assert.Throws<ArgumentException>(() => arena.Free((IArenaFunction)h)).Message);
        Assert.Throws<ArgumentNullException>(() => arena.Free((DoubleMappedFunction)null!));
    }

    [Fact]
    public void Dispose_unmaps_both_views_closes_the_file_and_use_after_dispose_throws()
    {
        var arena = new DoubleMappedCodeArena();
        var f = arena.Add(ReturnConstant(5));
        var compiled = new JitNotebooks.Compiler.X64Compiler().Compile(JitNotebooks.Compiler.Parser.Parse("a + 1", "a"), arena);
        string memfd = $"/memfd:{arena.Name} (deleted)";
        Assert.Contains(OpenFiles(), l => l == memfd);
        arena.Dispose();
        arena.Dispose(); // idempotent
        Assert.DoesNotContain(ProcMaps.ReadSelf(), e => e.Path == memfd);
        Assert.DoesNotContain(OpenFiles(), l => l == memfd);
        Assert.Contains("disposed", Assert.Throws<ObjectDisposedException>(() => f.Call()).Message);
        Assert.Throws<ObjectDisposedException>(() => compiled.Invoke(1));
        Assert.Throws<ObjectDisposedException>(() => arena.Add(ReturnConstant(1)));
        Assert.Throws<ObjectDisposedException>(() => arena.Free(f));
        Assert.Throws<ObjectDisposedException>(() => arena.MappedBytes);
        Assert.Contains("new DoubleMappedCodeArena", Assert.Throws<ObjectDisposedException>(() => arena.Views).Message);
        Assert.True(arena.IsDisposed);
        Assert.False(f.IsCallable);
    }

    private static List<string> OpenFiles() =>
        new DirectoryInfo("/proc/self/fd").GetFiles().Select(fd => { try { return fd.LinkTarget ?? ""; } catch (IOException) { return ""; } }).ToList();

    [Fact]
    public void A_full_arena_throws_a_typed_exception_naming_the_fix_and_keeps_working()
    {
        using var arena = new DoubleMappedCodeArena(capacity: 4096, growthBytes: 4096);
        var fs = Enumerable.Range(0, 256).Select(i => arena.Add(ReturnConstant(i))).ToList(); // 256 * 16 = 4096
        var ex = Assert.Throws<CodeArenaFullException>(() => arena.Add(ReturnConstant(1)));
        Assert.Contains("Free functions", ex.Message);
        Assert.Contains("larger capacity", ex.Message);
        Assert.Equal(255, fs[255].Call());
        arena.Free(fs[7]);
        Assert.Equal(77, arena.Add(ReturnConstant(77)).Call()); // room again
    }

    [Fact]
    public void A_function_larger_than_the_capacity_is_refused_before_anything_is_written()
    {
        using var arena = new DoubleMappedCodeArena(capacity: 8192);
        var ex = Assert.Throws<FunctionTooLargeException>(() => arena.Add(new byte[10_000]));
        Assert.Equal(10_000, ex.BytesNeeded);
        Assert.Equal(8192, ex.Capacity);
        Assert.Contains("larger capacity", ex.Message);
        Assert.Equal(0, arena.MappedBytes);
        Assert.Equal(0, arena.FunctionCount);
    }

    [Fact]
    public void A_capacity_the_address_space_cannot_hold_is_ENOMEM_with_the_fix()
    {
        // Two views of 64 TiB cannot both fit in a process's 128 TiB of address space.
        var ex = Assert.Throws<NativeMemoryException>(() => new DoubleMappedCodeArena(capacity: DoubleMappedCodeArena.MaxCapacity));
        Assert.Equal(12, ex.Errno);
        Assert.Contains("ENOMEM", ex.Message);
        Assert.Contains("smaller capacity", ex.Message);
    }

    [Fact]
    public void Bad_arguments_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DoubleMappedCodeArena(capacity: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DoubleMappedCodeArena(capacity: DoubleMappedCodeArena.MaxCapacity + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DoubleMappedCodeArena(growthBytes: 0));
        using var arena = new DoubleMappedCodeArena();
        Assert.Throws<ArgumentException>(() => arena.Add(ReadOnlySpan<byte>.Empty));
        Assert.Throws<ArgumentNullException>(() => arena.Add((CodeBuilder)null!));
        Assert.Equal(0, arena.FunctionCount);
    }

    [Fact]
    public void An_unpatched_builder_is_patched_on_add()
    {
        using var arena = new DoubleMappedCodeArena();
        var b = new CodeBuilder();
        var end = b.CreateLabel("end");
        b.MovImm32(Reg64.Rax, 5).Jmp(end).MovImm32(Reg64.Rax, 6).Bind(end).Ret();
        Assert.Equal(5, arena.Add(b).Call());
    }

    [Fact]
    public void When_the_bytes_run_in_the_emulator_the_views_are_still_mapped_and_the_functions_run_emulated()
    {
        using (NativePlatform.SimulateUnsupportedMachine())
        {
            using var arena = new DoubleMappedCodeArena();
            var divide = new JitNotebooks.Compiler.X64Compiler().Compile(JitNotebooks.Compiler.Parser.Parse("a / 7", "a"), arena);
            Assert.Equal(-3, divide.Invoke(-22));
            Assert.Contains(arena.ReadMapsEntries(), e => e.Permissions == "r-xs");
        }
    }

    [Fact]
    public void A_function_the_compiler_might_make_larger_than_the_capacity_is_refused_with_the_arena_unchanged()
    {
        using var arena = new DoubleMappedCodeArena(capacity: 4096);
        var big = JitNotebooks.Compiler.Parser.Parse(string.Join(" + ", Enumerable.Range(0, 60).Select(i => $"a * {i}")), "a");
        var ex = Assert.Throws<FunctionTooLargeException>(() => new JitNotebooks.Compiler.X64Compiler().Compile(big, arena));
        Assert.Equal(JitNotebooks.Compiler.X64Compiler.MaxCodeBytes(big), ex.BytesNeeded);
        Assert.Equal(0, arena.FunctionCount);
        Assert.Equal(0, arena.MappedBytes);
        Assert.Equal(1, new JitNotebooks.Compiler.X64Compiler().Compile(JitNotebooks.Compiler.Parser.Parse("1"), arena).Invoke());
    }

    [Fact]
    public void Dispose_during_a_write_waits_for_the_writer_before_unmapping()
    {
        var arena = new DoubleMappedCodeArena();
        var reservation = arena.Reserve(64);
        arena.Dispose();
        // The writer can still write: the views stay mapped until it is done.
        unsafe { new Span<byte>((void*)reservation.Writable, 64).Fill(0xC3); }
        Assert.Contains(ProcMaps.ReadSelf(), e => e.Path == $"/memfd:{arena.Name} (deleted)");
        Assert.Throws<ObjectDisposedException>(() => arena.Commit(reservation, 1));
        Assert.DoesNotContain(ProcMaps.ReadSelf(), e => e.Path == $"/memfd:{arena.Name} (deleted)");
    }

    [Fact]
    public void Threads_compile_call_and_free_in_one_arena_at_once()
    {
        using var arena = new DoubleMappedCodeArena(capacity: 16 << 20, growthBytes: 4096);
        var compiler = new JitNotebooks.Compiler.X64Compiler();
        var kept = new System.Collections.Concurrent.ConcurrentBag<(JitNotebooks.Compiler.CompiledFunction F, int I)>();
        Parallel.For(0, 20_000, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            var f = compiler.Compile(JitNotebooks.Compiler.Parser.Parse($"a * {i} - b / {i % 97 + 1}", "a", "b"), arena);
            Assert.Equal(1000L * i - 77 / (i % 97 + 1), f.Invoke(1000, 77));
            if (i % 3 == 0) arena.Free(f.Code);
            else kept.Add((f, i));
        });
        Assert.All(kept, t => Assert.Equal(1000L * t.I - 77 / (t.I % 97 + 1), t.F.Invoke(1000, 77)));
        Assert.Equal(kept.Count, arena.FunctionCount);
    }

    // ---- failures the kernel would rarely give, injected ----------------------------------------

    private sealed class FailingSyscalls(string failing, int errno) : DoubleMappingSyscalls
    {
        private string failing = failing;
        public string Failing { set => failing = value; }
        public int Closed, Unmapped, Unreserved;
        public override int MemfdCreate(string name) => failing == "memfd_create" ? -errno : base.MemfdCreate(name);
        public override int Truncate(int fd, long length) => failing == "ftruncate" ? -errno : base.Truncate(fd, length);
        public override int Allocate(int fd, long offset, long length) => failing == "fallocate" ? -errno : base.Allocate(fd, offset, length);
        public override nint MapShared(nint address, nuint length, Protection protection, int fd, long offset) =>
            failing == "mmap " + Mman.Describe(protection) ? -errno : base.MapShared(address, length, protection, fd, offset);
        public override nint Unreserve(nint address, nuint length) { Unreserved++; return base.Unreserve(address, length); }
        public override int Unmap(nint address, nuint length) { Unmapped++; return base.Unmap(address, length); }
        public override int Close(int fd) { Closed++; return base.Close(fd); }
    }

    [Theory]
    [InlineData(38, "ENOSYS", "Linux 3.17")]
    [InlineData(1, "EPERM", "security policy")]
    public void Memfd_create_missing_or_forbidden_says_to_use_CodeArena(int errno, string name, string reason)
    {
        var ex = Assert.Throws<DoubleMappingNotSupportedException>(() => new DoubleMappedCodeArena(1 << 20, 4096, new FailingSyscalls("memfd_create", errno)));
        Assert.Equal("memfd_create", ex.Call);
        Assert.Equal(errno, ex.Errno);
        Assert.Contains(name, ex.Message);
        Assert.Contains(reason, ex.Message);
        Assert.Contains("Use CodeArena instead", ex.Message);
    }

    [Fact]
    public void Too_many_open_files_names_the_limit()
    {
        var ex = Assert.Throws<NativeMemoryException>(() => new DoubleMappedCodeArena(1 << 20, 4096, new FailingSyscalls("memfd_create", 24)));
        Assert.Contains("ulimit -n", ex.Message);
    }

    [Theory]
    [InlineData("ftruncate", 28)]
    [InlineData("fallocate", 12)]
    [InlineData("mmap rw-", 12)]
    [InlineData("mmap r-x", 12)]
    public void Out_of_memory_while_growing_is_CodeArenaFull_and_the_arena_keeps_its_functions(string call, int errno)
    {
        var os = new FailingSyscalls("none", errno);
        using var arena = new DoubleMappedCodeArena(1 << 20, 4096, os);
        var fs = Enumerable.Range(0, 256).Select(i => arena.Add(ReturnConstant(i))).ToList(); // exactly the first page
        os.Failing = call;
        var ex = Assert.Throws<CodeArenaFullException>(() => arena.Add(ReturnConstant(1)));
        Assert.Contains("Free functions", ex.Message);
        Assert.Equal(errno, Assert.IsType<NativeMemoryException>(ex.InnerException).Errno);
        Assert.Equal(4096, arena.MappedBytes);
        Assert.All(arena.Views, v => Assert.Equal(4096, v.Length));
        Assert.Equal(call == "mmap r-x" ? 1 : 0, os.Unreserved); // the rw part is taken back so both views stay equal
        var file = arena.ReadMapsEntries().Where(e => e.Path.Length > 0).ToList();
        Assert.Equal(2, file.Count);
        Assert.All(file, e => Assert.Equal(4096UL, e.Size));
        Assert.Equal(255, fs[255].Call());
        os.Failing = "none";
        Assert.Equal(7, arena.Add(ReturnConstant(7)).Call()); // and it grows once the kernel agrees again
    }

    [Theory]
    [InlineData("mmap r-x", 13)]
    [InlineData("mmap rw-", 1)]
    public void A_policy_refusing_the_shared_mapping_says_to_use_CodeArena(string call, int errno)
    {
        var failing = new FailingSyscalls(call, errno);
        using var arena = new DoubleMappedCodeArena(1 << 20, 4096, failing);
        var ex = Assert.Throws<DoubleMappingNotSupportedException>(() => arena.Add(ReturnConstant(1)));
        Assert.Contains("SELinux", ex.Message);
        Assert.Contains("Use CodeArena instead", ex.Message);
    }

    [Fact]
    public void Fallocate_unsupported_is_not_an_error()
    {
        using var arena = new DoubleMappedCodeArena(1 << 20, 4096, new FailingSyscalls("fallocate", 95));
        Assert.Equal(3, arena.Add(ReturnConstant(3)).Call());
    }

    [Fact]
    public void Dispose_releases_everything_it_took_even_when_a_reservation_failed()
    {
        var os = new FailingSyscalls("none", 0);
        var arena = new DoubleMappedCodeArena(1 << 20, 4096, os);
        arena.Add(ReturnConstant(1));
        arena.Dispose();
        Assert.Equal((2, 1), (os.Unmapped, os.Closed));
        // Address space for the second view refused: the first is unmapped and the file closed.
        var refusing = new ReserveRefusingSyscalls();
        Assert.Throws<NativeMemoryException>(() => new DoubleMappedCodeArena(1 << 20, 4096, refusing));
        Assert.Equal((1, 1), (refusing.Unmapped, refusing.Closed));
    }

    private sealed class ReserveRefusingSyscalls : DoubleMappingSyscalls
    {
        private int _reserved;
        public int Closed, Unmapped;
        public override nint Reserve(nuint length) => ++_reserved == 2 ? -12 : base.Reserve(length);
        public override int Unmap(nint address, nuint length) { Unmapped++; return base.Unmap(address, length); }
        public override int Close(int fd) { Closed++; return base.Close(fd); }
    }
}
