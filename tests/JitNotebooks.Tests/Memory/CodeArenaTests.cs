using JitNotebooks.Compiler;

namespace JitNotebooks.Tests.Memory;

public class CodeArenaTests
{
    private static byte[] ReturnConstant(int value) => new CodeBuilder().MovImm32(Reg64.Rax, value).Ret().ToArray();

    [Fact]
    public void Many_functions_share_pages_and_all_stay_callable()
    {
        using var arena = new CodeArena(pagesPerChunk: 4);
        var functions = Enumerable.Range(0, 2000).Select(i => arena.Add(ReturnConstant(i * 3))).ToList();
        for (int i = 0; i < functions.Count; i++) Assert.Equal(i * 3, functions[i].Call());
        // 8 bytes each, aligned to 16: 2000 * 16 bytes = 32000 bytes = 8 pages (vs 2000 mappings of a page each).
        Assert.Equal(8, arena.PagesUsed);
        Assert.Equal(2, arena.MappingCount);
        Assert.Equal(2000, arena.FunctionCount);
        Assert.All(functions, f => Assert.Equal(0, f.Address % CodeArena.FunctionAlignment));
    }

    [Fact]
    public void A_batch_is_written_with_one_flip_and_everything_is_r_x_afterwards_never_rwx()
    {
        using var arena = new CodeArena(pagesPerChunk: 2);
        var batch = arena.AddBatch(Enumerable.Range(0, 1000).Select(ReturnConstant).ToArray());
        Assert.Equal(999, batch[999].Call());
        var maps = ProcMaps.ReadSelf();
        foreach (var (address, length, _) in arena.Mappings)
        {
            var entry = ProcMaps.Find(maps, address);
            Assert.NotNull(entry);
            Assert.Equal(Protection.Read | Protection.Execute, entry.Protection);
            Assert.True(entry.Covers(address, (ulong)length));
        }
        Assert.DoesNotContain(maps, e => e.IsWritableAndExecutable && arena.Mappings.Any(m => e.Contains(m.Address)));
    }

    [Fact]
    public void Pages_not_reached_by_code_yet_are_not_accessible_at_all()
    {
        using var arena = new CodeArena(pagesPerChunk: 8);
        arena.Add(ReturnConstant(1));
        var (address, length, _) = Assert.Single(arena.Mappings);
        Assert.Equal(4096, length);
        var maps = ProcMaps.ReadSelf();
        Assert.Equal(Protection.Read | Protection.Execute, ProcMaps.Find(maps, address)!.Protection);
        Assert.Equal(Protection.None, ProcMaps.Find(maps, address + 4096)!.Protection);
    }

    [Fact]
    public void Functions_whose_padding_crosses_a_page_boundary_are_written_correctly()
    {
        // 4000-byte functions: each one's alignment padding and body straddle page boundaries.
        using var arena = new CodeArena(pagesPerChunk: 3);
        var body = new CodeBuilder();
        for (int i = 0; i < 570; i++) body.AddImm(Reg64.Rax, 1).Emit(0x90); // 5 bytes each
        body.Ret();
        var code = new CodeBuilder().XorRegReg(Reg64.Rax, Reg64.Rax).Emit(body.ToArray()).ToArray();
        var fs = Enumerable.Range(0, 10).Select(_ => arena.Add(code)).ToList();
        Assert.All(fs, f => Assert.Equal(570, f.Call()));
        Assert.All(fs, f => Assert.Equal(code, f.ReadBytes()));
    }

    [Fact]
    public void A_function_larger_than_a_chunk_gets_a_mapping_of_its_own()
    {
        using var arena = new CodeArena(pagesPerChunk: 1);
        var big = new byte[10_000];
        Array.Fill(big, (byte)0x90); // nop sled ending in ret: mov $42,%rax ; ret
        var tail = new CodeBuilder().MovImm32(Reg64.Rax, 42).Ret().ToArray();
        tail.CopyTo(big, big.Length - tail.Length);
        var f = arena.Add(big);
        Assert.Equal(42, f.Call());
        Assert.Equal(3, arena.PagesMapped);
    }

    [Fact]
    public void Dispose_unmaps_every_chunk_and_use_after_dispose_throws()
    {
        var arena = new CodeArena(pagesPerChunk: 1);
        var fs = Enumerable.Range(0, 600).Select(i => arena.Add(ReturnConstant(i))).ToList(); // 3 chunks
        var compiled = new X64Compiler().Compile(Parser.Parse("a + 1", "a"), arena);
        var addresses = arena.Mappings.Select(m => m.Address).ToList();
        Assert.True(addresses.Count >= 3);
        arena.Dispose();
        arena.Dispose(); // idempotent
        var maps = ProcMaps.ReadSelf();
        // Gone; the runtime may reuse an address at once, but never for an anonymous executable mapping of ours.
        Assert.All(addresses, a => Assert.True(ProcMaps.Find(maps, a) is null or { Path.Length: > 0 } or { Permissions: not "r-xp" },
            $"0x{a:x} still mapped: {ProcMaps.Find(maps, a)}"));
        Assert.Throws<ObjectDisposedException>(() => fs[0].Call());
        Assert.Throws<ObjectDisposedException>(() => compiled.Invoke(1));
        Assert.Throws<ObjectDisposedException>(() => arena.Add(ReturnConstant(1)));
        Assert.Throws<ObjectDisposedException>(() => arena.PagesUsed);
        Assert.True(arena.IsDisposed);
    }

    [Fact]
    public void Bad_input_is_refused_without_changing_the_arena()
    {
        using var arena = new CodeArena();
        Assert.Throws<ArgumentOutOfRangeException>(() => new CodeArena(0));
        Assert.Throws<ArgumentException>(() => arena.Add(Array.Empty<byte>()));
        Assert.Throws<ArgumentException>(() => arena.AddBatch([ReturnConstant(1), []]));
        Assert.Equal(0, arena.FunctionCount);
        Assert.Equal(0, arena.MappingCount);
    }

    [Fact]
    public void An_unpatched_builder_is_patched_on_add()
    {
        using var arena = new CodeArena();
        var b = new CodeBuilder();
        var end = b.CreateLabel("end");
        b.MovImm32(Reg64.Rax, 5).Jmp(end).MovImm32(Reg64.Rax, 6).Bind(end).Ret();
        Assert.Equal(5, arena.Add(b).Call());
        Assert.True(b.IsPatched);
    }
}
