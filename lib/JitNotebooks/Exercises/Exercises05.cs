namespace JitNotebooks.Exercises;

/// <summary>Notebook 05's exercises: pages, and the permissions W^X leaves.</summary>
public static class Exercises05
{
    /// <summary>Exercise 05.1's program size in bytes.</summary>
    public const int ProgramSize = 5000;

    private static int PageSize => Mman.PageSize; // the page size the library maps with (4096 in the emulator, whatever the host uses)
    private static int Pages => (ProgramSize + PageSize - 1) / PageSize;

    /// <summary>05.1: how many pages does mmap hand out for a <see cref="ProgramSize"/>-byte program?</summary>
    public static Exercise<int?> PagesFor5000Bytes { get; } = new(new ExerciseSpec<int?>
    {
        Id = "05.1",
        Name = "Exercises05.PagesFor5000Bytes",
        Title = "How many pages for 5000 bytes?",
        Prompt = "A JIT has produced a 5000-byte function. How many pages does `MapWritable(5000)` map on this machine? " +
                 "(The page size was printed near the top of this notebook.)",
        Starter = "int? pages = null; // your answer",
        Arguments = "pages",
        UntouchedValue = null,
        IsUntouched = a => a is null,
        WhatToDo = "replace null with a number of pages, then run the cell again.",
        Mistakes =
        [
            new("rounded-down", "rounded down", ProgramSize / PageSize, a => a == ProgramSize / PageSize && a < Pages,
                a => $"{Answers.Plural(a!.Value, "page")} of {PageSize} bytes hold only {a.Value * PageSize} bytes; where do the other {ProgramSize - a.Value * PageSize} go?"),
            new("bytes-not-pages", "answered in bytes, not pages", Pages * PageSize, a => a == Pages * PageSize || a == ProgramSize,
                "that is a number of bytes. The question asks how many pages."),
            new("no-pages", "answered zero or less", 0, a => a <= 0,
                "mmap always maps at least one whole page."),
            new("decimal-kilobytes", "took a page as 1000 bytes", (ProgramSize + 999) / 1000, a => a == (ProgramSize + 999) / 1000 && a != Pages,
                $"a page here is {PageSize} bytes, not 1000."),
        ],
        Judge = a => a == Pages
            ? Judgement.Right($"{Pages} pages of {PageSize} bytes = {Pages * PageSize} bytes mapped; {Pages * PageSize - ProgramSize} of them unused.")
            : Judgement.Wrong($"{Answers.Plural(a!.Value, "page")} would be {(long)a.Value * PageSize} bytes. How many whole pages does 5000 bytes need?"),
        Hints =
        [
            "The kernel maps whole pages only: a page that is used a little still counts as a page.",
            "Divide 5000 by the page size and round up.",
        ],
        Explanation = "5000 / 4096 = 1.22…, rounded up: **2** pages, 8192 bytes, 3192 of them unused (with 4096-byte pages). " +
                      "Check it against the kernel: `ExecutableMemory.MapWritable(5000).PageCount`.",
        Solution = Pages,
        Declare = a => $"int? pages = {Literal.Number(a)};",
        WrongExample = Pages + 5,
    });

    private static readonly string After = Mman.Describe(Protection.Read | Protection.Execute) + "p";
    private static readonly string Before = Mman.Describe(Protection.Read | Protection.Write) + "p";
    private static readonly string Article = Mman.Describe(Protection.Read | Protection.Write | Protection.Execute) + "p";

    private static string Tidy(string? answer) => (answer ?? "").Trim().ToLowerInvariant();

    /// <summary>05.2: the permissions /proc/self/maps shows after <see cref="WritableMemory.MakeExecutable"/>.</summary>
    public static Exercise<string?> PermissionsAfterMakeExecutable { get; } = new(new ExerciseSpec<string?>
    {
        Id = "05.2",
        Name = "Exercises05.PermissionsAfterMakeExecutable",
        Title = "The permissions after MakeExecutable",
        Prompt = "What does `/proc/self/maps` show in the permission column for our pages after `MakeExecutable()`? Four characters.",
        Starter = "string permissions = \"\"; // your answer, four characters",
        Arguments = "permissions",
        UntouchedValue = "",
        IsUntouched = a => Tidy(a).Length == 0,
        WhatToDo = "type the four characters between the quotes, then run the cell again.",
        Mistakes =
        [
            new("the-articles-mapping", "gave the article's read-write-execute mapping", Article, a => Tidy(a) == Article,
                $"{Article} is the article's mapping, writable and executable at once. MakeExecutable takes something away."),
            new("before-mprotect", "gave the permissions before MakeExecutable", Before, a => Tidy(a) == Before,
                $"{Before} is before MakeExecutable; afterwards the pages can run but can no longer be written."),
            new("private-flag-missing", "left out the fourth character", After[..3], a => Tidy(a) == After[..3],
                "almost: /proc/self/maps adds a fourth character, p for a private mapping or s for a shared one."),
            new("shared-flag", "wrote s (shared) for a private mapping", After[..3] + "s", a => Tidy(a) == After[..3] + "s",
                "the mapping is private (MAP_PRIVATE): the fourth character is not s."),
            new("execute-only", "took the read permission away too", "--" + After[2..], a => Tidy(a) == "--" + After[2..],
                "mprotect(PROT_READ | PROT_EXEC) keeps the pages readable."),
        ],
        Judge = a => Tidy(a) == After
            ? Judgement.Right($"{After}: readable, executable, not writable, private. Writable or executable, never both.")
            : Judgement.Wrong($"'{a!.Trim()}' is not it. Which of r, w, x remain after mprotect(PROT_READ | PROT_EXEC), and is the mapping private?"),
        Hints =
        [
            "MakeExecutable calls mprotect with PROT_READ | PROT_EXEC.",
            "Write r, w and x as the letter or '-', in that order, then p for a private mapping.",
        ],
        Explanation = "`r-xp`: readable, not writable, executable, private. Writable or executable, never both.",
        Solution = After,
        Declare = a => $"string permissions = {Literal.String(a)};",
        WrongExample = "rw-s",
    });
}
