namespace JitNotebooks.Exercises;

/// <summary>Self-checking exercises of notebook 05 (executable memory, pages and W^X).</summary>
public static class Exercises05
{
    /// <summary>Exercise 1's program size in bytes.</summary>
    public const int ProgramSize = 5000;

    /// <summary>Exercise 1: how many pages does mmap hand out for a <see cref="ProgramSize"/>-byte program?</summary>
    public static CheckResult PagesFor5000Bytes(int pages) => Check.Safely(() =>
    {
        int pageSize = Environment.SystemPageSize;
        int expected = (ProgramSize + pageSize - 1) / pageSize;
        if (pages <= 0)
            return CheckResult.NotYet("mmap always maps at least one whole page. Divide by the page size and round UP.");
        if (pages == ProgramSize / pageSize)
            return CheckResult.NotYet($"{pages} page(s) hold only {pages * pageSize} bytes; the rest of the program needs one more page (round up).");
        if (pages != expected)
            return CheckResult.NotYet($"{pages} pages would be {(long)pages * pageSize} bytes; with {pageSize}-byte pages, how many whole pages cover {ProgramSize}?");
        return CheckResult.Correct($"{expected} pages of {pageSize} bytes = {expected * pageSize} bytes mapped; {expected * pageSize - ProgramSize} of them unused.");
    });

    /// <summary>
    /// Exercise 2: the permission string /proc/self/maps shows for the pages after
    /// <see cref="WritableMemory.MakeExecutable"/> (four characters, e.g. <c>rw-p</c>).
    /// </summary>
    public static CheckResult PermissionsAfterMakeExecutable(string? permissions) => Check.Safely(() =>
    {
        string answer = (permissions ?? "").Trim();
        if (answer.Length == 0)
            return CheckResult.NotYet("no answer yet. Four characters: read, write, execute, then p (private) or s (shared).");
        if (answer == "rwxp")
            return CheckResult.NotYet("rwxp is the article's mapping; MakeExecutable takes the write permission away (W^X).");
        if (answer == "rw-p")
            return CheckResult.NotYet("rw-p is before MakeExecutable; afterwards the pages can be executed and no longer written.");
        if (answer == "r-x")
            return CheckResult.NotYet("almost: /proc/self/maps adds a fourth character, p for a private mapping.");
        if (answer != "r-xp")
            return CheckResult.NotYet($"'{answer}' is not it. Which of r, w, x remain after mprotect(PROT_READ | PROT_EXEC)? And the mapping is private.");
        return CheckResult.Correct("r-xp: readable, executable, not writable, private. Writable or executable, never both.");
    });
}
