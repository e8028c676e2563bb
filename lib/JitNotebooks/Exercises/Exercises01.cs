namespace JitNotebooks.Exercises;

/// <summary>Notebook 01's exercises: the Linux x86-64 syscall register table.</summary>
public static class Exercises01
{
    private const string RegisterStarterNote = "// your answer, written like Reg64.Rax";
    private const string WhatToDoRegister = "replace null with a register, written like Reg64.Rax, then run the cell again.";

    /// <summary>Numbers from other tables that a learner may meet in a search: x86-64's exit_group, the generic (arm64) exit.</summary>
    private const int ExitGroupX64 = 231, ExitGeneric = 93;

    /// <summary>01.1: which register carries write's byte count?</summary>
    public static Exercise<Reg64?> CountRegister { get; } = new(new ExerciseSpec<Reg64?>
    {
        Id = "01.1",
        Name = "Exercises01.CountRegister",
        Title = "The register of write's byte count",
        Prompt = "Which register carries `write`'s byte count? Write it as a `Reg64`, e.g. `Reg64.Rax`.",
        Starter = $"Reg64? countRegister = null; {RegisterStarterNote}",
        Arguments = "countRegister",
        UntouchedValue = null,
        IsUntouched = a => a is null,
        WhatToDo = WhatToDoRegister,
        Mistakes =
        [
            new("buffer-register", "gave the register of argument 2, the buffer", SyscallConvention.ArgumentRegister(2),
                a => a == SyscallConvention.ArgumentRegister(2),
                "that register carries argument 2, the buffer's address. The count is another argument of write(fd, buf, count)."),
            new("fd-register", "gave the register of argument 1, the file descriptor", SyscallConvention.ArgumentRegister(1),
                a => a == SyscallConvention.ArgumentRegister(1),
                "that register carries argument 1, the file descriptor."),
            new("number-register", "gave the register of the syscall number", SyscallConvention.NumberRegister,
                a => a == SyscallConvention.NumberRegister,
                "that register carries the syscall number (and the result), not an argument."),
        ],
        Judge = a => a == SyscallConvention.ArgumentRegister(3)
            ? Judgement.Right($"the count is write's third argument, and argument 3 travels in {a.Value.IntelName()}: hence the article's mov $0xc,%rdx.")
            : Judgement.Wrong($"{a!.Value.IntelName()} is {SyscallConvention.RoleOf(a.Value)}. Which argument of write(fd, buf, count) is the count?"),
        Hints =
        [
            "In write(fd, buf, count), which argument is the count, counting from 1?",
            "The argument registers, in order, are rdi, rsi, rdx, r10, r8, r9 (the table's Param columns).",
        ],
        Explanation = "The count is the third parameter of `write(fd, buf, count)`, and argument 3 travels in **`rdx`**: " +
                      "that is why the article's third instruction is `mov $0xc,%rdx`.",
        Solution = SyscallConvention.ArgumentRegister(3),
        Declare = a => $"Reg64? countRegister = {Literal.Register(a)};",
        WrongExample = Reg64.R9,
    });

    /// <summary>01.2: the number that goes in rax to call <c>exit</c>.</summary>
    public static Exercise<int?> ExitSyscallNumber { get; } = new(new ExerciseSpec<int?>
    {
        Id = "01.2",
        Name = "Exercises01.ExitSyscallNumber",
        Title = "The syscall number of exit",
        Prompt = "A program ends by calling `exit(status)`. What number must it put in `rax`? (Use the syscall table above.)",
        Starter = "int? exitNumber = null; // your answer",
        Arguments = "exitNumber",
        UntouchedValue = null,
        IsUntouched = a => a is null,
        WhatToDo = "replace null with the number that selects exit, then run the cell again.",
        Mistakes =
        [
            new("write-number", "gave write's number", Syscall.Write.Number, a => a == Syscall.Write.Number,
                $"{Syscall.Write.Number} is write on x86-64 (it was exit on 32-bit x86, whose table is different). Look for the row named exit."),
            new("decimal-read-as-hex", "read the decimal number as hex (0x60)", 0x60, a => a == 0x60,
                "that is 0x60 = 96. The table's numbers are decimal, so take the digits as they are."),
            new("exit-group", "gave exit_group's number", ExitGroupX64, a => a == ExitGroupX64,
                "231 is exit_group, which ends every thread of the process (C's exit() calls it). The question asks for the plain exit syscall."),
            new("other-architecture", "gave exit's number from the generic (arm64) table", ExitGeneric, a => a == ExitGeneric,
                "93 is exit on arm64 and the other architectures with the generic table; x86-64 numbers its syscalls differently."),
        ],
        Judge = a => a == Syscall.Exit.Number
            ? Judgement.Right($"exit is syscall {Syscall.Exit.Number} (0x{Syscall.Exit.Number:x}): mov $0x{Syscall.Exit.Number:x},%rax before syscall. Its status goes in rdi.")
            : Judgement.Wrong($"{a} is not exit's number on x86-64 Linux."),
        Hints =
        [
            "The syscall table above has a row for exit.",
            "Its rax column is the number; it is written in decimal.",
        ],
        Explanation = "`exit` is syscall **60** on x86-64 Linux (`0x3c`). Its only argument, the status, goes in `rdi`. " +
                      "Notebook 02 asks you to encode that `mov $60,%rax`.",
        Solution = Syscall.Exit.Number,
        Declare = a => $"int? exitNumber = {Literal.Number(a)};",
        WrongExample = 59,
    });

    /// <summary>01.3: which register carries a syscall's fourth argument?</summary>
    public static Exercise<Reg64?> FourthArgumentRegister { get; } = new(new ExerciseSpec<Reg64?>
    {
        Id = "01.3",
        Name = "Exercises01.FourthArgumentRegister",
        Title = "The register of a syscall's fourth argument",
        Prompt = "Which register carries a syscall's *fourth* argument? (Careful: it is not the one an ordinary C call uses.)",
        Starter = $"Reg64? fourth = null; {RegisterStarterNote}",
        Arguments = "fourth",
        UntouchedValue = null,
        IsUntouched = a => a is null,
        WhatToDo = WhatToDoRegister,
        Mistakes =
        [
            new("c-convention", "gave the fourth argument register of an ordinary C call", SysVConvention.ArgumentRegisters[3],
                a => a == SysVConvention.ArgumentRegisters[3],
                "rcx is the fourth argument of an ordinary C call, but the syscall instruction overwrites rcx (it saves the return address there), so the kernel takes argument 4 elsewhere."),
            new("other-clobbered", "gave r11, which syscall overwrites too", Reg64.R11, a => a == Reg64.R11,
                "syscall overwrites r11 as well (it saves the flags there), so no argument can travel in it."),
            new("fifth-argument", "gave the register of argument 5", SyscallConvention.ArgumentRegister(5),
                a => a == SyscallConvention.ArgumentRegister(5),
                "that register carries argument 5. Count again from rdi."),
            new("third-argument", "gave the register of argument 3", SyscallConvention.ArgumentRegister(3),
                a => a == SyscallConvention.ArgumentRegister(3),
                "that register carries argument 3, the count in write's case."),
        ],
        Judge = a => a == SyscallConvention.ArgumentRegister(4)
            ? Judgement.Right($"{a.Value.IntelName()}: a C call would use rcx, but syscall saves the return address in rcx, so the kernel convention moves argument 4 to {a.Value.IntelName()}.")
            : Judgement.Wrong($"{a!.Value.IntelName()} is {SyscallConvention.RoleOf(a.Value)}."),
        Hints =
        [
            "An ordinary C call passes argument 4 in rcx. What does the syscall instruction itself do with rcx?",
            "syscall saves its return address in rcx, so argument 4 must move: the register table's Param 4 column says where.",
        ],
        Explanation = "**`r10`**. A C call passes argument 4 in `rcx`, but `syscall` saves the return address in `rcx`, so the kernel " +
                      "convention moves that argument to `r10`.",
        Solution = SyscallConvention.ArgumentRegister(4),
        Declare = a => $"Reg64? fourth = {Literal.Register(a)};",
        WrongExample = Reg64.Rbx,
    });
}
