using MLNet.Adam.Kernels;

namespace MLNet.Adam.Core.Tests.Kernels;

public class AdamUpdatePrefetchChoiceTests
{
    private const nuint Large = AdamUpdatePrefetchChoice.MinimumLength;

    [Fact]
    public void Choose_BelowMinimumLength_NeverPrefetches()
    {
        var choice = new AdamUpdatePrefetchChoice();
        for (int call = 0; call < 50; call++)
        {
            Assert.False(choice.Choose(Large - 1));
            choice.Record(false, Large - 1, 1_000_000);
        }
    }

    [Fact]
    public void Choose_MeasuresEachVariantFirst()
    {
        var choice = new AdamUpdatePrefetchChoice();
        Assert.True(choice.Choose(Large));
        choice.Record(true, Large, 100);
        Assert.False(choice.Choose(Large));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Choose_FollowsTheFasterVariantAndProbesTheOtherOncePerInterval(bool prefetchIsFaster)
    {
        var choice = new AdamUpdatePrefetchChoice();
        choice.Record(true, Large, prefetchIsFaster ? 100 : 200);
        choice.Record(false, Large, prefetchIsFaster ? 200 : 100);

        var choices = Enumerable.Range(0, 4 * AdamUpdatePrefetchChoice.ProbeInterval).Select(_ => choice.Choose(Large)).ToList();

        Assert.Equal(4, choices.Count(c => c != prefetchIsFaster));
        Assert.Equal(!prefetchIsFaster, choices[AdamUpdatePrefetchChoice.ProbeInterval - 1]);
    }

    [Fact]
    public void Choose_SwitchesWhenTheOtherVariantBecomesFaster()
    {
        var choice = new AdamUpdatePrefetchChoice();
        for (int i = 0; i < AdamUpdatePrefetchChoice.Window; i++)
        {
            choice.Record(true, Large, 100);
            choice.Record(false, Large, 150);
        }

        Assert.True(choice.Choose(Large));

        // Conditions change: prefetching now costs 300 per call; once the old timings leave its window, it loses.
        for (int i = 0; i < AdamUpdatePrefetchChoice.Window; i++)
        {
            choice.Record(true, Large, 300);
        }

        Assert.False(choice.Choose(Large));
    }

    [Fact]
    public void Choose_KeepsTheCurrentVariantWhenTheOtherIsFasterOnlyWithinTheMargin()
    {
        var choice = new AdamUpdatePrefetchChoice();
        choice.Record(true, Large, 1000);
        choice.Record(false, Large, 1000 - (long)(1000 * AdamUpdatePrefetchChoice.SwitchMargin / 2));
        Assert.True(choice.Choose(Large));

        choice.Record(false, Large, 1000 - (long)(1000 * AdamUpdatePrefetchChoice.SwitchMargin * 2));
        Assert.False(choice.Choose(Large));
    }

    [Fact]
    public void Record_OneSlowCallDoesNotOutweighTheWindowsBest()
    {
        var choice = new AdamUpdatePrefetchChoice();
        choice.Record(true, Large, 100);
        choice.Record(false, Large, 150);
        choice.Record(true, Large, 10_000);

        Assert.True(choice.Choose(Large));
    }
}
