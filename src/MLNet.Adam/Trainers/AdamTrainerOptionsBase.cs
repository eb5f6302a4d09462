using Microsoft.ML.Data;
using MLNet.Adam.Kernels;
using MLNet.Adam.Optimization;
using MLNet.Adam.Training;

namespace MLNet.Adam.Trainers;

/// <summary>
/// Options shared by <see cref="AdamLogisticRegressionBinaryTrainer"/> and <see cref="AdamMaximumEntropyMulticlassTrainer"/>.
/// Field names follow ML.NET's trainers; defaults come from <see cref="AdamTrainerDefaults"/> and <see cref="AdamDefaults"/>.
/// </summary>
public abstract class AdamTrainerOptionsBase
{
    /// <summary>Name of the label column.</summary>
    public string LabelColumnName = AdamTrainerDefaults.LabelColumnName;

    /// <summary>Name of the feature column: a known-size vector of <see cref="float"/>, dense or sparse.</summary>
    public string FeatureColumnName = AdamTrainerDefaults.FeatureColumnName;

    /// <summary>Name of the optional example weight column (<see cref="float"/>); null for none.</summary>
    public string? ExampleWeightColumnName;

    /// <summary>
    /// Initial learning rate (Adam's alpha), or null (the default) to choose it from the data after the first pass:
    /// <see cref="AdamTrainerDefaults.LearningRate"/> for dense rows, <see cref="AdamTrainerDefaults.SparseLearningRate"/>
    /// for sparse rows (under a quarter of the values stored) trained in mini-batches. The rate used is in the log and in
    /// <see cref="Training.TrainingSummary.LearningRate"/>.
    /// </summary>
    public float? LearningRate;

    /// <summary>Adam's first-moment decay rate.</summary>
    public float Beta1 = AdamDefaults.Beta1;

    /// <summary>Adam's second-moment decay rate.</summary>
    public float Beta2 = AdamDefaults.Beta2;

    /// <summary>Adam's epsilon (added outside the square root).</summary>
    public float Epsilon = AdamDefaults.Epsilon;

    /// <summary>Use AMSGrad (Reddi et al. 2018).</summary>
    public bool Amsgrad;

    /// <summary>
    /// Rows per mini-batch. Null (the default) chooses it from the number of training rows n:
    /// <c>clamp(ceil(n / 16), 16, 256)</c> (see <see cref="AdamTrainerDefaults.BatchSizeFor"/>), so small data gets
    /// several steps per epoch instead of one full batch. A value is used as given (capped at n).
    /// </summary>
    public int? BatchSize;

    /// <summary>Maximum number of passes over the training data; training stops earlier on convergence.</summary>
    public int NumberOfEpochs = AdamTrainerDefaults.NumberOfEpochs;

    /// <summary>
    /// L1 weight on the summed loss (as ML.NET's L-BFGS), applied as a proximal step so weights become exactly zero.
    /// It acts on the weights the optimizer holds: the raw weights, or, when the features are standardized implicitly
    /// (<see cref="Standardization"/>), the standardized ones (as glmnet penalizes them), which is also how the
    /// convergence test measures it. Biases are not penalized unless <see cref="RegularizeBias"/>.
    /// </summary>
    public float L1Regularization = AdamTrainerDefaults.L1Regularization;

    /// <summary>
    /// L2 weight on the summed loss, with ML.NET's L-BFGS meaning: objective = sum of weighted losses +
    /// L2Regularization / 2 * ||w||^2. Coupled: it enters the gradient. Null (the default) chooses it from the data
    /// on held-out rows before the final fit (see <see cref="AdamTrainerDefaults"/>); a value skips that search.
    /// </summary>
    public float? L2Regularization;

    /// <summary>Decoupled weight decay per step, scaled by the learning rate (AdamW, Loshchilov &amp; Hutter 2019).</summary>
    public float WeightDecay;

    /// <summary>Apply L1, L2 and weight decay to the biases too (default: biases are not regularized).</summary>
    public bool RegularizeBias;

    /// <summary>
    /// Whether the optimizer works on implicitly standardized features (centered, scaled by their standard deviation
    /// floored at the mean one; statistics from the first pass). It makes the default learning rate work whatever the
    /// features' offsets and scales. Rows are never densified and the model is returned for the raw features. L1 and
    /// weight decay then act on the standardized weights; L2 keeps ML.NET's meaning on the raw weights.
    /// <see cref="FeatureStandardization.Auto"/> decides from the first pass's statistics (the rule is logged).
    /// </summary>
    public FeatureStandardization Standardization = FeatureStandardization.Auto;

    /// <summary>
    /// Bytes the trainer may use to hold the training (and validation) rows in memory after the first pass, which
    /// then reads every row once; later epochs shuffle an index permutation over the packed rows and need no cursor.
    /// Data over the budget is streamed from the <c>IDataView</c> every epoch with bounded memory. Null (the default)
    /// uses <see cref="AdamTrainerDefaults.MemoryBudget"/>; 0 always streams. The choice and its reason are logged
    /// and in the training summary.
    /// </summary>
    public long? MemoryBudget;

    /// <summary>Shuffle the rows every epoch (from <see cref="Seed"/>).</summary>
    public bool Shuffle = true;

    /// <summary>Seed of shuffling and hold-out; null uses 0, so training is reproducible by default.</summary>
    public int? Seed;

    /// <summary>Threads that share each mini-batch's gradient; null uses the processor count. Results depend on it (fixed reduction order per count).</summary>
    public int? NumberOfThreads;

    /// <summary>Implementation of the kernels: managed SIMD, Intel MKL, or chosen per kernel.</summary>
    public KernelBackend Backend = KernelBackend.Auto;

    /// <summary>
    /// Relative improvement of the monitored loss below which an epoch counts as not improving (also the plateau
    /// schedule's threshold). Null chooses it from the data: <see cref="AdamTrainerDefaults.ExactConvergenceTolerance"/>
    /// when small data is monitored on its exact training objective (noise-free, so small improvements are real and
    /// epochs are cheap), else <see cref="AdamTrainerDefaults.ConvergenceTolerance"/> (an epoch's mean mini-batch loss is
    /// too noisy for finer thresholds). The monitored loss is the validation loss when there are validation rows;
    /// otherwise the training objective of each epoch's final weights (one forward pass over the rows at the epoch end)
    /// when the rows are packed in memory, checked at epoch ends and an epoch has at least
    /// <see cref="AdamTrainerDefaults.StepsPerEpoch"/> steps (small data always), else the mean of the epoch's (or the
    /// <see cref="ConvergenceCheckRows"/> rows') batch losses plus the penalties. The batch losses lag half an epoch
    /// behind the weights, which delays each reduction of the learning rate and the stop.
    /// </summary>
    public double? ConvergenceTolerance;

    /// <summary>Non-improving epochs (after the learning rate reached its floor under the default schedule) before training stops.</summary>
    public int EarlyStoppingPatience = AdamTrainerDefaults.ConvergencePatience;

    /// <summary>
    /// On data larger than this many rows, and without validation data, the learning-rate schedule and the convergence
    /// test also look at the training loss of every this many rows instead of only at epoch ends, so large data sets
    /// stop after the passes they need rather than after many whole epochs.
    /// </summary>
    public int ConvergenceCheckRows = AdamTrainerDefaults.ConvergenceCheckRows;

    /// <summary>
    /// Fraction of the streamed training rows held out for validation (by row id and seed, nothing materialized); 0 for
    /// none. Ignored when validation data is given to <c>Fit</c>.
    /// </summary>
    public float ValidationFraction;

    /// <summary>The learning-rate schedule.</summary>
    public LearningRateScheduleOptions Schedule = new();

    /// <summary>Clip each mini-batch gradient to this global L2 norm; 0 for no clipping.</summary>
    public float GradientClipNorm;

    /// <summary>How classes are weighted: none, balanced (computed in one streaming pass), or <see cref="ClassWeights"/>.</summary>
    public ClassWeighting ClassWeighting = ClassWeighting.None;

    /// <summary>Per-class weights when <see cref="ClassWeighting"/> is <see cref="Training.ClassWeighting.Custom"/>: index i is class i (binary: 0 = false, 1 = true).</summary>
    public float[]? ClassWeights;

    /// <summary>Receives progress at the end of every epoch and at most every <see cref="ProgressInterval"/> within epochs.</summary>
    public IProgress<TrainingProgress>? Progress;

    /// <summary>Minimum time between progress reports within an epoch.</summary>
    public TimeSpan ProgressInterval = TimeSpan.FromSeconds(1);

    /// <summary>Cancels training within one mini-batch; <c>Fit</c> then throws <see cref="OperationCanceledException"/>.</summary>
    public CancellationToken CancellationToken;

    internal TrainingSettings ToSettings() => new(this);
}
