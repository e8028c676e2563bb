namespace JitNotebooks.Tests.Memory;

public class FreeListTests
{
    [Fact]
    public void Neighbours_merge_on_both_sides()
    {
        var free = new FreeList();
        free.Add(0, 16);
        free.Add(32, 16);
        Assert.Equal(2, free.Count);
        free.Add(16, 16); // the gap: all three become one
        Assert.Equal([(0L, 48L)], free.Ranges);
        Assert.Equal(48, free.TotalBytes);
    }

    [Fact]
    public void Taking_uses_a_range_long_enough_and_leaves_the_rest_free()
    {
        var free = new FreeList();
        free.Add(0, 16);
        free.Add(64, 256);
        Assert.True(free.TryTake(48, out long offset));
        Assert.Equal(64, offset);
        Assert.Equal([(0L, 16L), (112L, 208L)], free.Ranges);
        Assert.False(free.TryTake(512, out _));
        Assert.Equal(224, free.TotalBytes);
        Assert.True(free.TryTake(16, out offset));
        Assert.Equal(0, offset); // the 16-byte hole fits exactly
        Assert.Equal([(112L, 208L)], free.Ranges);
    }

    [Fact]
    public void A_request_finds_a_range_in_its_own_size_class_when_one_is_long_enough()
    {
        var free = new FreeList();
        free.Add(0, 48);      // class 1 (32..63), too short for 64
        free.Add(1000 * 16, 64); // class 2
        free.Add(2000 * 16, 112); // class 2, long enough for 96
        Assert.True(free.TryTake(96, out long offset));
        Assert.Equal(2000 * 16, offset);
    }

    [Fact]
    public void The_range_ending_at_the_top_can_be_taken_back()
    {
        var free = new FreeList();
        free.Add(32, 32);
        Assert.False(free.TryTakeEndingAt(128, out _));
        Assert.True(free.TryTakeEndingAt(64, out long start));
        Assert.Equal(32, start);
        Assert.Equal(0, free.Count);
        Assert.Equal(0, free.TotalBytes);
    }

    [Fact]
    public void Freeing_the_same_start_twice_is_refused()
    {
        var free = new FreeList();
        free.Add(32, 16);
        Assert.Throws<InvalidOperationException>(() => free.Add(32, 16));
        Assert.Equal(16, free.TotalBytes);
    }

    [Fact]
    public void Many_scattered_holes_stay_cheap_and_consistent()
    {
        // 20,000 holes of 16 bytes between live functions, then a request only the last big range satisfies.
        var free = new FreeList();
        for (int i = 0; i < 20_000; i++) free.Add(i * 32L, 16);
        free.Add(1_000_000, 4096);
        Assert.True(free.TryTake(1024, out long offset));
        Assert.Equal(1_000_000, offset);
        Assert.Equal(20_001, free.Count);
        Assert.Equal(20_000 * 16 + 3072, free.TotalBytes);
        // Fill every gap: everything merges into one range from 0.
        for (int i = 0; i < 20_000; i++) free.Add(i * 32L + 16, 16);
        Assert.Equal((0L, 640_000L), free.Ranges[0]);
    }
}
