using System.Diagnostics;

namespace MLNet.Adam.Training;

/// <summary>
/// Watches the final fit's step loop: keeps the epoch history, sends <see cref="TrainingProgress"/> at every epoch
/// end and at a bounded rate within epochs, and logs each epoch to the context's channel.
/// </summary>
internal sealed class ProgressReporter : IDescentObserver
{
    private readonly IProgress<TrainingProgress>? _progress;
    private readonly TimeSpan _interval;
    private readonly Stopwatch _clock;
    private readonly Action<string> _log;
    private readonly List<EpochRecord> _history;
    private TimeSpan _last;

    public ProgressReporter(IProgress<TrainingProgress>? progress, TimeSpan interval, Stopwatch clock, Action<string> log, IEnumerable<EpochRecord> earlierHistory)
    {
        _progress = progress;
        _interval = interval;
        _clock = clock;
        _log = log;
        _history = [.. earlierHistory];
    }

    /// <summary>One record per finished epoch, including those of the run a checkpoint resumed.</summary>
    public IReadOnlyList<EpochRecord> History => _history;

    /// <inheritdoc/>
    public void Step(int epoch, long step, long rowsSeen, double epochMeanLoss, float learningRate)
    {
        if (_progress is null)
        {
            return;
        }

        var now = _clock.Elapsed;
        if (now - _last < _interval)
        {
            return;
        }

        _last = now;
        _progress.Report(new TrainingProgress(epoch, step, rowsSeen, epochMeanLoss, null, null, learningRate, now, Rate(rowsSeen, now), false));
    }

    /// <inheritdoc/>
    public void EpochEnd(DescentEpoch epoch)
    {
        var now = _clock.Elapsed;
        _history.Add(new EpochRecord(epoch.Epoch, epoch.TrainingLoss, epoch.ValidationLoss, epoch.ValidationAccuracy, epoch.LearningRate, now, epoch.Steps));
        var progress = new TrainingProgress(
            epoch.Epoch, epoch.Steps, epoch.RowsSeen, epoch.TrainingLoss, epoch.ValidationLoss, epoch.ValidationAccuracy, epoch.LearningRate, now, Rate(epoch.RowsSeen, now), true);
        _last = now;
        _progress?.Report(progress);
        _log(progress.ToString());
    }

    private static double Rate(long rows, TimeSpan elapsed) => rows / Math.Max(elapsed.TotalSeconds, 1e-9);
}
