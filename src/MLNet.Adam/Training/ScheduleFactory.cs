using MLNet.Adam.Optimization;

namespace MLNet.Adam.Training;

/// <summary>Builds the optimizer core's schedule from the trainer's epoch-based schedule options.</summary>
internal static class ScheduleFactory
{
    public static LearningRateSchedule Create(TrainingSettings settings, long stepsPerEpoch)
    {
        var options = settings.Schedule;
        float lr = settings.LearningRate;
        float minimum = Math.Min(settings.MinimumLearningRate, lr);
        return options.Kind switch
        {
            LearningRateScheduleKind.Constant => new ConstantSchedule(lr),
            LearningRateScheduleKind.StepDecay => new StepDecaySchedule(lr, options.StepEpochs * stepsPerEpoch, options.Factor),
            LearningRateScheduleKind.ExponentialDecay => new ExponentialDecaySchedule(lr, options.Factor, stepsPerEpoch),
            LearningRateScheduleKind.InverseTimeDecay => new InverseTimeDecaySchedule(lr, options.Gamma / stepsPerEpoch, options.Power),
            LearningRateScheduleKind.Cosine => new CosineSchedule(
                lr, settings.NumberOfEpochs * stepsPerEpoch, (long)Math.Round(options.WarmupEpochs * stepsPerEpoch), minimum),
            _ => new ReduceOnPlateauSchedule(lr, options.Factor, options.PlateauPatience, settings.ConvergenceTolerance, minimum),
        };
    }
}
