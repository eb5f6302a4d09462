using System.Diagnostics;

namespace MLNet.Adam.Training;

/// <summary>Sends <see cref="TrainingProgress"/> at every epoch end and at a bounded rate within epochs.</summary>
internal sealed class ProgressReporter
{
    private readonly IProgress<TrainingProgress>? _progress;
    private readonly TimeSpan _interval;
    private readonly Stopwatch _clock;
    private TimeSpan _last;

    public ProgressReporter(IProgress<TrainingProgress>? progress, TimeSpan interval, Stopwatch clock)
    {
        _progress = progress;
        _interval = interval;
        _clock = clock;
    }

    public void Within(int epoch, long step, long rowsSeen, double trainingLoss, float learningRate)
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
        _progress.Report(new TrainingProgress(epoch, step, rowsSeen, trainingLoss, null, null, learningRate, now, Rate(rowsSeen, now), false));
    }

    public void EpochEnd(EpochRecord record, long rowsSeen)
    {
        if (_progress is null)
        {
            return;
        }

        _last = _clock.Elapsed;
        _progress.Report(new TrainingProgress(
            record.Epoch, record.Steps, rowsSeen, record.TrainingLoss, record.ValidationLoss, record.ValidationAccuracy, record.LearningRate, record.Elapsed, Rate(rowsSeen, record.Elapsed), true));
    }

    private static double Rate(long rows, TimeSpan elapsed) => rows / Math.Max(elapsed.TotalSeconds, 1e-9);
}
