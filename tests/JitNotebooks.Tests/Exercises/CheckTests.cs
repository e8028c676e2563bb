using JitNotebooks.Exercises;

namespace JitNotebooks.Tests.Exercises;

public class CheckTests
{
    [Fact]
    public void Safely_turns_an_exception_into_not_yet_naming_it()
    {
        var result = Check.Safely(() => throw new ImmediateOutOfRangeException("value", 1L << 40, "too big"));
        Assert.False(result.IsCorrect);
        Assert.Contains(nameof(ImmediateOutOfRangeException), result.Message);
        Assert.StartsWith("❌ not yet", result.ToString());
    }

    [Fact]
    public void Bytes_names_the_first_difference_and_the_length()
    {
        byte[] expected = [0x48, 0xc7, 0xc0];
        Assert.True(Check.Bytes([0x48, 0xc7, 0xc0], expected, "mov", "hint").IsCorrect);
        Assert.Contains("byte 2 is c1", Check.Bytes([0x48, 0xc7, 0xc1], expected, "mov", "hint").Message);
        Assert.Contains("2 bytes, expected 3", Check.Bytes([0x48, 0xc7], expected, "mov", "hint").Message);
        Assert.False(Check.Bytes(null, expected, "mov", "hint").IsCorrect);
    }
}
