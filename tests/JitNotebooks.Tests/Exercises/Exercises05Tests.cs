using JitNotebooks.Exercises;

namespace JitNotebooks.Tests.Exercises;

public class Exercises05Tests
{
    [Fact]
    public void PagesFor5000Bytes_accepts_the_worked_solution()
    {
        int pageSize = Environment.SystemPageSize;
        int pages = (int)Math.Ceiling(5000.0 / pageSize);
        Assert.True(Exercises05.PagesFor5000Bytes(pages).IsCorrect);
        if (pageSize == 4096) Assert.True(Exercises05.PagesFor5000Bytes(2).IsCorrect);
    }

    [Theory]
    [InlineData(0)]    // untouched
    [InlineData(-1)]
    [InlineData(5000)] // bytes, not pages
    [InlineData(int.MaxValue)]
    public void PagesFor5000Bytes_rejects_wrong_answers(int pages) =>
        Assert.False(Exercises05.PagesFor5000Bytes(pages).IsCorrect);

    [Fact]
    public void PagesFor5000Bytes_rejects_rounding_down()
    {
        int roundedDown = 5000 / Environment.SystemPageSize;
        Assert.False(Exercises05.PagesFor5000Bytes(roundedDown).IsCorrect);
    }

    [Fact]
    public void PermissionsAfterMakeExecutable_accepts_the_worked_solution_and_it_matches_the_kernel()
    {
        // The kernel's own word: map, write, flip, read /proc/self/maps.
        using var staging = ExecutableMemory.MapWritable(1);
        using var memory = staging.Write([0xc3]).MakeExecutable();
        string fromKernel = memory.ReadMapsEntry()!.Permissions;
        Assert.Equal("r-xp", fromKernel);
        Assert.True(Exercises05.PermissionsAfterMakeExecutable(fromKernel).IsCorrect);
        Assert.True(Exercises05.PermissionsAfterMakeExecutable(" r-xp ").IsCorrect);
    }

    [Theory]
    [InlineData("")]   // untouched
    [InlineData(null)]
    [InlineData("rwxp")]
    [InlineData("rw-p")]
    [InlineData("r-x")]
    [InlineData("--xp")]
    [InlineData("r-xs")]
    public void PermissionsAfterMakeExecutable_rejects_wrong_answers(string? answer) =>
        Assert.False(Exercises05.PermissionsAfterMakeExecutable(answer).IsCorrect);
}
