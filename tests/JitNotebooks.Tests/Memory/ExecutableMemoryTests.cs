namespace JitNotebooks.Tests.Memory;

public class ExecutableMemoryTests
{
    private static readonly byte[] Ret = [0xC3];
    private static int Page => Environment.SystemPageSize;

    [Fact]
    public void Create_copies_the_code_to_the_start_of_whole_read_execute_pages()
    {
        byte[] code = HelloWorldProgram.Packed().ToArray();
        using var memory = ExecutableMemory.Create(code);

        Assert.Equal(code, memory.ToArray());
        Assert.Equal(code.Length, memory.Length);
        Assert.Equal(Page, memory.PageSize);
        Assert.Equal(Page, memory.MappedSize);
        Assert.Equal(1, memory.PageCount);
        Assert.Equal(0, memory.Address % Page);
        Assert.Equal(Protection.Read | Protection.Execute, memory.Protection);
        Assert.Equal("r-x", memory.ProtectionText);
        Assert.False(memory.IsDisposed);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(4096, 1)]
    [InlineData(4097, 2)]
    [InlineData(3 * 4096 + 5, 4)]
    public void Code_is_rounded_up_to_whole_pages(int length, int pages)
    {
        Assert.Equal(4096, Page); // x86-64 Linux pages are 4 KiB
        byte[] code = Enumerable.Repeat((byte)0xCC, length).ToArray();
        using var memory = ExecutableMemory.Create(code);
        Assert.Equal(pages, memory.PageCount);
        Assert.Equal(pages * 4096L, memory.MappedSize);
        Assert.Equal(code, memory.ToArray());
    }

    [Fact]
    public void Proc_maps_shows_rw_p_while_writable_and_r_xp_once_executable()
    {
        byte[] code = HelloWorldProgram.Packed().ToArray();
        using var staging = ExecutableMemory.MapWritable(code.Length);
        var writable = staging.ReadMapsEntry()!;
        Assert.Equal("rw-p", writable.Permissions);
        Assert.True(writable.Covers(staging.Address, (ulong)staging.MappedSize));

        staging.Write(code);
        Assert.Equal(code, staging.ToArray());
        nint address = staging.Address;
        using var memory = staging.MakeExecutable();

        Assert.Equal(address, memory.Address);
        var executable = memory.ReadMapsEntry()!;
        Assert.Equal("r-xp", executable.Permissions);
        Assert.True(executable.Covers(memory.Address, (ulong)memory.MappedSize));
        Assert.False(executable.IsWritableAndExecutable);
        Assert.Equal(code, memory.ToArray());
    }

    [Fact]
    public void The_normal_path_never_maps_rwx_at_any_stage()
    {
        using var staging = ExecutableMemory.MapWritable(64);
        Assert.False(staging.ReadMapsEntry()!.IsWritableAndExecutable);
        staging.Write(Ret);
        Assert.False(staging.ReadMapsEntry()!.IsWritableAndExecutable);
        using var memory = staging.MakeExecutable();
        Assert.False(memory.ReadMapsEntry()!.IsWritableAndExecutable);

        using var created = ExecutableMemory.Create(Ret);
        Assert.Equal("r-xp", created.ReadMapsEntry()!.Permissions);
    }

    [Fact]
    public void Writing_after_MakeExecutable_throws_and_the_staging_no_longer_owns_the_pages()
    {
        var staging = ExecutableMemory.MapWritable(16).Write(Ret);
        using var memory = staging.MakeExecutable();

        var e = Assert.Throws<InvalidOperationException>(() => staging.Write(Ret));
        Assert.Contains("MakeExecutable", e.Message);
        Assert.Contains("W^X", e.Message);
        Assert.Throws<InvalidOperationException>(() => staging.MakeExecutable());
        Assert.True(staging.IsMadeExecutable);
        Assert.False(staging.IsWritable);

        staging.Dispose(); // must not unmap what memory now owns
        Assert.Equal("r-xp", memory.ReadMapsEntry()!.Permissions);
        Assert.Equal(16, memory.Length); // the size asked for, not the bytes written
        Assert.Equal([0xC3, .. new byte[15]], memory.ToArray());
    }

    [Fact]
    public void Writes_land_at_their_offset_and_must_fit()
    {
        using var staging = ExecutableMemory.MapWritable(4);
        staging.Write([1, 2], offset: 2).Write([9]);
        Assert.Equal(new byte[] { 9, 0, 1, 2 }, staging.ToArray());

        Assert.Throws<ArgumentOutOfRangeException>(() => staging.Write([1, 2, 3], offset: 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => staging.Write([1], offset: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => staging.Write(new byte[5]));
        Assert.Equal(new byte[] { 9, 0, 1, 2 }, staging.ToArray()); // nothing was half-written
    }

    [Fact]
    public void MakeExecutable_without_any_write_is_refused()
    {
        using var staging = ExecutableMemory.MapWritable(16);
        var e = Assert.Throws<InvalidOperationException>(() => staging.MakeExecutable());
        Assert.Contains("Write", e.Message);
        Assert.True(staging.IsWritable); // still usable
    }

    [Fact]
    public void Create_takes_a_patched_CodeBuilder_and_refuses_an_unpatched_one()
    {
        using var memory = ExecutableMemory.Create(HelloWorldProgram.Unpacked());
        Assert.Equal(HelloWorldProgram.Unpacked().ToArray(), memory.ToArray());

        var unpatched = new CodeBuilder();
        var data = unpatched.CreateLabel("data");
        unpatched.LeaRipRelative(Reg64.Rsi, data).Ret().Bind(data).EmitAscii("x");
        var e = Assert.Throws<InvalidOperationException>(() => ExecutableMemory.Create(unpatched));
        Assert.Contains("Patch()", e.Message);

        unpatched.Patch();
        using var patched = ExecutableMemory.Create(unpatched);
        Assert.Equal(new byte[] { 0x48, 0x8d, 0x35, 0x01, 0, 0, 0, 0xc3, (byte)'x' }, patched.ToArray());
        Assert.Throws<ArgumentNullException>(() => ExecutableMemory.Create((CodeBuilder)null!));
    }

    [Fact]
    public void Empty_code_is_a_clear_ArgumentException()
    {
        var e = Assert.Throws<ArgumentException>(() => ExecutableMemory.Create([]));
        Assert.Equal("code", e.ParamName);
        Assert.Contains("empty", e.Message);
        Assert.Throws<ArgumentException>(() => ExecutableMemory.CreateReadWriteExecute_ArticleDemo([]));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void MapWritable_needs_a_positive_size(int size)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ExecutableMemory.MapWritable(size));
    }

    [Fact]
    public void Use_after_dispose_throws_ObjectDisposedException_and_double_dispose_is_a_no_op()
    {
        var memory = ExecutableMemory.Create(Ret);
        memory.Dispose();
        memory.Dispose();

        Assert.True(memory.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => memory.Address);
        Assert.Throws<ObjectDisposedException>(() => memory.Protection);
        Assert.Throws<ObjectDisposedException>(() => memory.ToArray());
        Assert.Throws<ObjectDisposedException>(() => memory.ReadMapsEntry());
        Assert.Throws<ObjectDisposedException>(() => memory.CallVoid());
        Assert.Throws<ObjectDisposedException>(() => memory.Call());
        Assert.Throws<ObjectDisposedException>(() => memory.Call(1, 2));
        Assert.Throws<ObjectDisposedException>(() => memory.Call(1, 2, 3, 4, 5, 6));
        Assert.Throws<ObjectDisposedException>(() => memory.AddressAt(0));
        Assert.Contains("disposed", memory.ToString());
    }

    [Fact]
    public void A_disposed_staging_area_throws_ObjectDisposedException()
    {
        var staging = ExecutableMemory.MapWritable(8);
        staging.Dispose();
        staging.Dispose();
        Assert.True(staging.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => staging.Write(Ret));
        Assert.Throws<ObjectDisposedException>(() => staging.MakeExecutable());
        Assert.Throws<ObjectDisposedException>(() => staging.Address);
    }

    [Fact]
    public void A_real_mprotect_failure_surfaces_errno_EINVAL()
    {
        using var staging = ExecutableMemory.MapWritable(16);
        // mprotect wants a page-aligned address; one byte in is not.
        var e = Assert.Throws<NativeMemoryException>(() =>
            Mman.Protect(staging.Address + 1, (nuint)Page, Protection.Read));
        Assert.Equal("mprotect", e.Call);
        Assert.Equal(22, e.Errno);
        Assert.Contains("EINVAL", e.Message);
        Assert.Contains("Invalid argument", e.Message); // strerror's words
        Assert.Equal("rw-p", staging.ReadMapsEntry()!.Permissions); // nothing changed
    }

    [Fact]
    public void A_real_mmap_failure_surfaces_errno_ENOMEM()
    {
        // 2^62 bytes is far more address space than x86-64 user space (2^47) has.
        var e = Assert.Throws<NativeMemoryException>(() =>
            Mman.MapAnonymousPages((nuint)1 << 62, Protection.Read | Protection.Write));
        Assert.Equal("mmap", e.Call);
        Assert.Equal(12, e.Errno);
        Assert.Contains("ENOMEM", e.Message);
    }
}
