using Iced.Intel;

namespace JitNotebooks.Tests.Syscalls;

public class SyscallConventionTests
{
    [Fact]
    public void Argument_registers_are_the_kernel_abi_order()
    {
        // Linux x86-64 syscall ABI (System V ABI, appendix A.2): rdi, rsi, rdx, r10, r8, r9.
        Assert.Equal(new[] { Reg64.Rdi, Reg64.Rsi, Reg64.Rdx, Reg64.R10, Reg64.R8, Reg64.R9 }, SyscallConvention.ArgumentRegisters);
        Assert.Equal(Reg64.R10, SyscallConvention.ArgumentRegister(4));
        Assert.Equal(Reg64.Rdi, SyscallConvention.ArgumentRegister(1));
        Assert.Equal(Reg64.Rax, SyscallConvention.NumberRegister);
        Assert.Equal(Reg64.Rax, SyscallConvention.ResultRegister);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(-1)]
    public void Argument_numbers_outside_1_to_6_are_refused(int n)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => SyscallConvention.ArgumentRegister(n));
        Assert.Contains("1 to 6", ex.Message);
    }

    [Fact]
    public void Clobbered_registers_are_what_Iced_says_syscall_writes()
    {
        var written = new InstructionInfoFactory().GetInfo(Instruction.Create(Code.Syscall)).GetUsedRegisters()
            .Where(u => u.Access is OpAccess.Write)
            .Select(u => (int)(u.Register - Register.RAX))
            .OrderBy(n => n);
        Assert.Equal(written, SyscallConvention.Clobbered.Select(c => (int)c.Register).OrderBy(n => n));
        Assert.Contains("return address", SyscallConvention.Clobbered.Single(c => c.Register == Reg64.Rcx).Why);
        Assert.Contains("RFLAGS", SyscallConvention.Clobbered.Single(c => c.Register == Reg64.R11).Why);
    }

    [Fact]
    public void Article_table_is_the_articles_row_plus_result_and_clobbers()
    {
        var table = SyscallConvention.ArticleTable();
        Assert.Equal(new[] { "Syscall #", "Param 1", "Param 2", "Param 3", "Param 4", "Param 5", "Param 6", "Result", "Clobbered" }, table.Headers);
        // The article's row, copied from its text: rax rdi rsi rdx r10 r8 r9.
        Assert.Equal(new[] { "rax", "rdi", "rsi", "rdx", "r10", "r8", "r9", "rax", "rcx, r11" }, table.Rows.Single());
    }

    [Fact]
    public void Register_table_numbers_match_Iced_register_enum()
    {
        var table = SyscallConvention.RegisterTable();
        Assert.Equal(16, table.Rows.Count);
        for (int n = 0; n < 16; n++)
        {
            var row = table.Rows[n];
            var iced = Register.RAX + n; // Iced orders the 64-bit GPRs by encoding number
            Assert.Equal(iced.ToString().ToLowerInvariant(), row[0]);
            Assert.Equal("%" + iced.ToString().ToLowerInvariant(), row[1]);
            Assert.Equal(n.ToString(), row[2]);
            Assert.Equal(Convert.ToString(n, 2).PadLeft(4, '0'), row[3]);
            Assert.Equal(row[3][1..], row[4]);
            Assert.Equal(n >= 8 ? "yes" : "no", row[5]);
        }
        Assert.Equal("argument 4", table.Rows[10][6]);
        Assert.Equal("syscall number in, result out", table.Rows[0][6]);
        Assert.Equal("preserved", table.Rows[3][6]); // rbx
        Assert.StartsWith("clobbered", table.Rows[1][6]);
    }

    [Theory]
    [MemberData(nameof(AllRegisters))]
    public void Rex_bit_and_low_bits_agree_with_Iceds_push_encoding(int n)
    {
        // push r64 is 50+r: the low three bits go in the opcode; r8–r15 need REX.B (0x41).
        var reg = (Reg64)n;
        byte[] bytes = IcedHelpers.Encode(Instruction.Create(Code.Push_r64, Register.RAX + n));
        Assert.Equal(reg.NeedsRexBit(), bytes.Length == 2 && bytes[0] == 0x41);
        Assert.Equal(reg.Low3(), bytes[^1] - 0x50);
    }

    public static TheoryData<int> AllRegisters() => new(Enumerable.Range(0, 16));

    [Fact]
    public void Syscall_numbers_are_the_kernel_table()
    {
        // arch/x86/entry/syscalls/syscall_64.tbl
        var expected = new Dictionary<string, int>
        {
            ["read"] = 0, ["write"] = 1, ["mmap"] = 9, ["mprotect"] = 10, ["munmap"] = 11, ["getpid"] = 39, ["exit"] = 60,
        };
        Assert.Equal(expected.OrderBy(p => p.Key), Syscall.All.ToDictionary(s => s.Name, s => s.Number).OrderBy(p => p.Key));
    }

    [Fact]
    public void Syscall_numbers_match_the_installed_kernel_header_when_present()
    {
        const string header = "/usr/include/x86_64-linux-gnu/asm/unistd_64.h";
        if (!File.Exists(header)) return; // nothing to compare against on this machine
        var defines = File.ReadLines(header)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(p => p.Length == 3 && p[0] == "#define" && p[1].StartsWith("__NR_"))
            .ToDictionary(p => p[1]["__NR_".Length..], p => int.Parse(p[2]));
        foreach (var call in Syscall.All)
            Assert.Equal(defines[call.Name], call.Number);
    }

    [Fact]
    public void Syscall_table_maps_each_C_parameter_to_its_register()
    {
        var table = SyscallConvention.SyscallTable();
        Assert.Equal(new[] { "Name", "rax", "rdi", "rsi", "rdx", "r10", "r8", "r9" }, table.Headers);
        Assert.Equal(new[] { "write", "1", "int fd", "const void *buf", "size_t count", "", "", "" }, table.Rows.Single(r => r[0] == "write"));
        Assert.Equal(new[] { "getpid", "39", "", "", "", "", "", "" }, table.Rows.Single(r => r[0] == "getpid"));
        Assert.Equal("off_t offset", table.Rows.Single(r => r[0] == "mmap")[7]);
        Assert.Contains("<td>const void *buf</td>", table.ToHtml());
        Assert.Contains("write     1    int fd", table.ToText());
    }
}
