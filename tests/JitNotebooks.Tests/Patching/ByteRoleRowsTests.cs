namespace JitNotebooks.Tests.Patching;

public class ByteRoleRowsTests
{
    [Fact]
    public void One_row_per_byte_with_the_programs_bytes()
    {
        var b = HelloWorldProgram.Packed();
        var rows = b.RoleRows();
        Assert.Equal(b.ToArray(), rows.Select(r => r.Value));
        Assert.Equal(Enumerable.Range(0, 46), rows.Select(r => r.Offset));
    }

    [Fact]
    public void Roles_follow_the_encoding()
    {
        var rows = HelloWorldProgram.Packed().RoleRows();
        // mov $0x1,%rax: REX.W, opcode C7, ModRM, imm32 (SDM: REX.W + C7 /0 id).
        Assert.Equal(new[] { ByteRole.Rex, ByteRole.Opcode, ByteRole.ModRM, ByteRole.Immediate, ByteRole.Immediate, ByteRole.Immediate, ByteRole.Immediate },
            rows.Take(7).Select(r => r.Role));
        Assert.Equal("mov    $0x1,%rax", rows[0].Owner);
        Assert.Equal(new[] { 0x18, 0x19, 0x1a, 0x1b }, rows.Where(r => r.Role == ByteRole.Displacement).Select(r => r.Offset));
        Assert.Equal(new[] { 0x1c, 0x1d }, rows.Where(r => r.Role == ByteRole.Syscall).Select(r => r.Offset));
        Assert.Equal((0x1e, (byte)0xc3), rows.Where(r => r.Role == ByteRole.Ret).Select(r => (r.Offset, r.Value)).Single());
        Assert.Equal((0x1f, (byte)0xcc), rows.Where(r => r.Role == ByteRole.Filler).Select(r => (r.Offset, r.Value)).Single());
        Assert.Equal(14, rows.Count(r => r.Role == ByteRole.Data));
        Assert.Equal("04", rows[0x18].Hex);
    }

    [Fact]
    public void Rows_show_the_placeholder_before_the_patch()
    {
        var b = new CodeBuilder();
        var msg = b.CreateLabel("msg");
        b.LeaRipRelative(Reg64.Rsi, msg).Ret().Bind(msg).EmitAscii("hi");
        Assert.All(b.RoleRows().Where(r => r.Role == ByteRole.Displacement), r => Assert.Equal(0, r.Value));
        b.Patch();
        Assert.Equal(new byte[] { 1, 0, 0, 0 }, b.RoleRows().Where(r => r.Role == ByteRole.Displacement).Select(r => r.Value));
    }

    [Fact]
    public void Role_table_has_a_row_per_byte()
    {
        var table = HelloWorldProgram.Unpacked().RoleTable();
        Assert.Equal(43, table.Rows.Count);
        Assert.Equal(new[] { "1f", "48", "Data", "\"Hello World!\"" }, table.Rows[0x1f]);
    }
}
