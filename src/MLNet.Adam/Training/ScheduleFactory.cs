using System.Globalization;
using MLNet.Adam.Optimization;

namespace MLNet.Adam.Training;

/// <summary>Builds the optimizer core's schedule from the trainer's epoch-based schedule options.</summary>
internal static class ScheduleFactory
{
    public static LearningRateSchedule Create(TrainingSettings settings, long stepsPerEpoch, double tolerance, float lr)
    {
        var options = settings.Schedule;
        float minimum = Math.Min(settings.MinimumLearningRate(lr), lr);
        return options.Kind switch
        {
            LearningRateScheduleKind.Constant => new ConstantSchedule(lr),
            LearningRateScheduleKind.StepDecay => new StepDecaySchedule(lr, options.StepEpochs * stepsPerEpoch, options.Factor),
            LearningRateScheduleKind.ExponentialDecay => new ExponentialDecaySchedule(lr, options.Factor, stepsPerEpoch),
            LearningRateScheduleKind.InverseTimeDecay => new InverseTimeDecaySchedule(lr, options.Gamma / stepsPerEpoch, options.Power),
            LearningRateScheduleKind.Cosine => CreateCosine(settings, stepsPerEpoch, lr, minimum),
            _ => new ReduceOnPlateauSchedule(lr, options.Factor, options.PlateauPatience, tolerance, minimum),
        };
    }

    private static CosineSchedule CreateCosine(TrainingSettings settings, long stepsPerEpoch, float lr, float minimum)
    {
        float warmupEpochs = settings.Schedule.WarmupEpochs;
        long totalSteps = settings.NumberOfEpochs * stepsPerEpoch;
        long warmupSteps = (long)Math.Round(warmupEpochs * stepsPerEpoch);

        // TrainingSettings already rejects WarmupEpochs >= NumberOfEpochs; rounding to whole steps can still reach
        // the last step when an epoch has few steps, which only the data reveals.
        if (warmupSteps >= totalSteps)
        {
            throw new ArgumentOutOfRangeException(
                "Schedule.WarmupEpochs",
                warmupEpochs,
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"Option Schedule.WarmupEpochs = {warmupEpochs} gives {warmupSteps} warm-up steps, but option NumberOfEpochs = {settings.NumberOfEpochs} gives only {totalSteps} steps on this data ") +
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"({stepsPerEpoch} per epoch); with the Cosine schedule the warm-up must end before the last step: lower WarmupEpochs or raise NumberOfEpochs."));
        }

        return new CosineSchedule(lr, totalSteps, warmupSteps, minimum);
    }
}
