using Iced.Intel;

namespace JitNotebooks.Tests.Patching;

/// <summary>CodeBuilder's placeholders and patches, judged by Iced's decoder.</summary>
public class CodeBuilderTests
{
    public static TheoryData<string> Layouts() => new("Unpacked", "Packed");

    private static CodeBuilder Layout(string name) => name == "Packed" ? HelloWorldProgram.Packed() : HelloWorldProgram.Unpacked();

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Patched_lea_points_at_the_message_label(string layout)
    {
        var builder = Layout(layout);
        var message = builder.Labels.Single(l => l.Name == "message");
        var lea = IcedHelpers.DecodeOne(builder.ToArray(), 0x15);

        Assert.Equal(Code.Lea_r64_m, lea.Code);
        Assert.Equal(Register.RSI, lea.Op0Register);
        Assert.True(lea.IsIPRelativeMemoryOperand);
        Assert.Equal((ulong)message.Offset!.Value, lea.IPRelativeMemoryAddress);
        Assert.Equal(layout == "Packed" ? 0x20UL : 0x1fUL, lea.IPRelativeMemoryAddress); // the article's "# 0x1f" / data at 0x20
        Assert.Equal("Hello World!"u8.ToArray(), builder.ToArray()[(int)message.Offset.Value..][..12]);
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Placeholder_is_zero_before_the_patch_and_only_it_changes(string layout)
    {
        var report = Layout(layout).Report!;
        var lea = IcedHelpers.DecodeOne(report.Before, 0x15);
        Assert.Equal(0x1cUL, lea.IPRelativeMemoryAddress); // disp 0: "points at itself", i.e. the next instruction
        Assert.Equal(new[] { 0x18, 0x19, 0x1a, 0x1b }, report.PatchedOffsets);
        var changed = Enumerable.Range(0, report.Before.Length).Where(i => report.Before[i] != report.After[i]);
        Assert.Equal(new[] { 0x18 }, changed); // only the low displacement byte differs (3 or 4)
        Assert.Equal(report.Before.Length, report.After.Length);
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Iced_decodes_the_code_as_mov_mov_mov_lea_syscall_ret(string layout)
    {
        var builder = Layout(layout);
        var code = IcedHelpers.DecodeAll(builder.ToArray(), builder.CodeEnd);
        Assert.Equal(new[] { Mnemonic.Mov, Mnemonic.Mov, Mnemonic.Mov, Mnemonic.Lea, Mnemonic.Syscall, Mnemonic.Ret },
            code.Select(i => i.Mnemonic));
        Assert.Equal(new[] { Register.RAX, Register.RDI, Register.RDX, Register.RSI }, code.Take(4).Select(i => i.Op0Register));
        Assert.Equal(new long[] { 1, 1, 12 }, code.Take(3).Select(i => i.Immediate32to64));
        Assert.Equal(0x1f, builder.CodeEnd);
    }

    // The SDM's jcc table, in condition-code order 0–15.
    private static readonly Mnemonic[] JccMnemonics =
    [
        Mnemonic.Jo, Mnemonic.Jno, Mnemonic.Jb, Mnemonic.Jae, Mnemonic.Je, Mnemonic.Jne, Mnemonic.Jbe, Mnemonic.Ja,
        Mnemonic.Js, Mnemonic.Jns, Mnemonic.Jp, Mnemonic.Jnp, Mnemonic.Jl, Mnemonic.Jge, Mnemonic.Jle, Mnemonic.Jg,
    ];

    [Fact]
    public void Every_jcc_forward_and_backward_lands_on_its_label()
    {
        var b = new CodeBuilder();
        var back = b.CreateLabel("back");
        var forward = b.CreateLabel("forward");
        b.Bind(back).Ret();
        foreach (var cc in Enum.GetValues<JumpCondition>())
            b.Jcc(cc, forward).Jcc(cc, back);
        b.Int3().Bind(forward).Ret();
        b.Patch();

        var instrs = IcedHelpers.DecodeAll(b.ToArray());
        var jumps = instrs.Where(i => i.FlowControl == FlowControl.ConditionalBranch).ToList();
        Assert.Equal(32, jumps.Count);
        for (int cc = 0; cc < 16; cc++)
        {
            Assert.Equal(JccMnemonics[cc], jumps[2 * cc].Mnemonic);
            Assert.Equal(JccMnemonics[cc], jumps[2 * cc + 1].Mnemonic);
            Assert.Equal(6, jumps[2 * cc].Length); // 0F 8x rel32
            Assert.Equal((ulong)forward.Offset!.Value, jumps[2 * cc].NearBranchTarget);
            Assert.Equal((ulong)back.Offset!.Value, jumps[2 * cc + 1].NearBranchTarget);
        }
    }

    [Fact]
    public void Jmp_and_call_forward_and_backward_land_on_their_labels()
    {
        var b = new CodeBuilder();
        var start = b.CreateLabel("start");
        var end = b.CreateLabel("end");
        b.Bind(start).Call(end).Jmp(end).Call(start).Jmp(start).Bind(end).Ret();
        var report = b.Patch();

        var instrs = IcedHelpers.DecodeAll(b.ToArray());
        Assert.Equal(new[] { Code.Call_rel32_64, Code.Jmp_rel32_64, Code.Call_rel32_64, Code.Jmp_rel32_64, Code.Retnq },
            instrs.Select(i => i.Code));
        Assert.Equal(new ulong[] { 20, 20, 0, 0 }, instrs.Take(4).Select(i => i.NearBranchTarget));
        Assert.Equal(new[] { 15, 10, -15, -20 }, report.Patches.Select(p => p.Displacement));
        Assert.Equal(16, report.PatchedOffsets.Count);
    }

    [Fact]
    public void External_label_within_2_GiB_is_patched()
    {
        var b = new CodeBuilder();
        var far = b.CreateLabel("far");
        b.LeaRipRelative(Reg64.R12, far).Ret().BindExternal(far, 0x7000_0000);
        b.Patch();
        var lea = IcedHelpers.DecodeOne(b.ToArray());
        Assert.Equal(Register.R12, lea.Op0Register);
        Assert.Equal(0x7000_0000UL, lea.IPRelativeMemoryAddress);
    }

    // ---- errors: each names the problem and leaves the bytes as they were -------------------

    [Fact]
    public void Unbound_label_is_named_and_nothing_is_written()
    {
        var b = new CodeBuilder();
        var bound = b.CreateLabel("here");
        var lost = b.CreateLabel("nowhere");
        b.Bind(bound).Jmp(bound).Jmp(lost);
        var before = b.ToArray();
        var ex = Assert.Throws<UnboundLabelException>(() => b.Patch());
        Assert.Contains("'nowhere'", ex.Message);
        Assert.DoesNotContain("'here'", ex.Message);
        Assert.Contains("Bind", ex.Message);
        Assert.Equal(before, b.ToArray());
        Assert.False(b.IsPatched);
    }

    [Fact]
    public void Binding_a_label_twice_is_refused()
    {
        var b = new CodeBuilder();
        var label = b.CreateLabel("twice");
        b.Bind(label).Ret();
        var ex = Assert.Throws<LabelAlreadyBoundException>(() => b.Bind(label));
        Assert.Contains("'twice'", ex.Message);
        Assert.Contains("0x0", ex.Message);
        Assert.Equal(0, label.Offset);
        Assert.Throws<LabelAlreadyBoundException>(() => b.BindExternal(label, 100));
        Assert.Equal(0, label.Offset);
    }

    [Theory]
    [InlineData(0x8000_0000L + 100)]
    [InlineData(-0x8000_0000L - 100)]
    public void Displacement_beyond_int32_is_refused_and_nothing_is_written(long offset)
    {
        var b = new CodeBuilder();
        var near = b.CreateLabel("near");
        var far = b.CreateLabel("far");
        b.Bind(near).LeaRipRelative(Reg64.Rsi, near).LeaRipRelative(Reg64.Rdi, far).Ret().BindExternal(far, offset);
        var before = b.ToArray();
        var ex = Assert.Throws<DisplacementOutOfRangeException>(() => b.Patch());
        Assert.Contains("'far'", ex.Message);
        Assert.Contains("2 GiB", ex.Message);
        Assert.Equal(before, b.ToArray()); // the first, valid lea was not patched either
        Assert.False(b.IsPatched);
    }

    [Fact]
    public void Patching_twice_is_refused_and_bytes_stay_final()
    {
        var b = HelloWorldProgram.Unpacked();
        var bytes = b.ToArray();
        Assert.Throws<AlreadyPatchedException>(() => b.Patch());
        Assert.Equal(bytes, b.ToArray());
    }

    [Fact]
    public void Emitting_or_binding_after_the_patch_is_refused()
    {
        var b = HelloWorldProgram.Packed();
        var label = b.CreateLabel("late");
        var bytes = b.ToArray();
        var roles = b.Roles.Count;
        Action[] attempts =
        [
            () => b.Ret(), () => b.Syscall(), () => b.Int3(), () => b.MovImm32(Reg64.Rax, 1), () => b.EmitAscii("x"),
            () => b.Emit(0x90), () => b.Align(16), () => b.Jmp(label), () => b.Call(label), () => b.Jcc(JumpCondition.Equal, label),
            () => b.LeaRipRelative(Reg64.Rax, label), () => b.Bind(label), () => b.BindExternal(label, 0), () => b.MarkCodeEnd(),
        ];
        foreach (var attempt in attempts)
        {
            var ex = Assert.Throws<AlreadyPatchedException>(attempt);
            Assert.Contains("new CodeBuilder", ex.Message);
        }
        Assert.Equal(bytes, b.ToArray());
        Assert.Equal(roles, b.Roles.Count);
        Assert.Equal(0x1f, b.CodeEnd);
        Assert.False(label.IsBound);
    }

    [Fact]
    public void Label_from_another_builder_is_refused()
    {
        var b = new CodeBuilder();
        var other = new CodeBuilder().CreateLabel("theirs");
        b.Ret();
        Action[] attempts =
        [
            () => b.Bind(other), () => b.BindExternal(other, 0), () => b.Jmp(other), () => b.Call(other),
            () => b.Jcc(JumpCondition.Less, other), () => b.LeaRipRelative(Reg64.Rsi, other),
        ];
        foreach (var attempt in attempts)
        {
            var ex = Assert.Throws<ArgumentException>(attempt);
            Assert.Contains("'theirs'", ex.Message);
            Assert.Contains("another CodeBuilder", ex.Message);
        }
        Assert.Equal(new byte[] { 0xc3 }, b.ToArray());
        Assert.Empty(b.Fixups);
        Assert.False(other.IsBound);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-4)]
    public void Align_below_one_is_refused(int alignment)
    {
        var b = new CodeBuilder().Ret();
        Assert.Throws<ArgumentOutOfRangeException>(() => b.Align(alignment));
        Assert.Equal(new byte[] { 0xc3 }, b.ToArray());
    }

    [Fact]
    public void Align_pads_with_int3_by_default()
    {
        var b = new CodeBuilder().Ret().Align(8);
        Assert.Equal(new byte[] { 0xc3, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc }, b.ToArray());
        Assert.All(IcedHelpers.DecodeAll(b.ToArray()).Skip(1), i => Assert.Equal(Code.Int3, i.Code));
        Assert.Equal(8, b.Align(8).Position); // already aligned: no padding
    }

    [Fact]
    public void Condition_outside_the_sixteen_is_refused_before_any_byte()
    {
        var b = new CodeBuilder();
        var label = b.CreateLabel("l");
        Assert.Throws<ArgumentOutOfRangeException>(() => b.Jcc((JumpCondition)16, label));
        Assert.Empty(b.ToArray());
        Assert.Empty(b.Fixups);
    }

    [Fact]
    public void Non_ascii_text_is_refused()
    {
        var b = new CodeBuilder();
        var ex = Assert.Throws<ArgumentException>(() => b.EmitAscii("Grüße"));
        Assert.Contains("EmitData", ex.Message);
        Assert.Empty(b.ToArray());
    }
}

public class JumpConditionNamesTests
{
    [Fact]
    public void Mnemonics_are_the_ones_Iced_and_objdump_use()
    {
        foreach (var cc in Enum.GetValues<JumpCondition>())
        {
            var b = new CodeBuilder();
            var l = b.CreateLabel("l");
            b.Bind(l).Jcc(cc, l).Patch();
            Assert.Equal(IcedHelpers.DecodeOne(b.ToArray()).Mnemonic.ToString().ToLowerInvariant(), cc.Mnemonic());
            Assert.StartsWith(cc.Mnemonic() + " ", b.Roles[0].Owner);
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => ((JumpCondition)16).Mnemonic());
    }
}
