using System.Runtime.CompilerServices;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Trainers;
using MLNet.Adam.Data;
using MLNet.Adam.Training;

namespace MLNet.Adam.Trainers;

/// <summary>
/// What both Adam trainers share: validated settings, the owning context's log and the training engine. The trained
/// models are ML.NET's own types, written in ML.NET's model-file format and loaded back through
/// <see cref="ModelOperationsCatalog.Load(Stream, out DataViewSchema)"/>. The trainer keeps no state between fits:
/// <c>FitDetailed</c> returns each run's summary and checkpoint with its model.
/// </summary>
/// <typeparam name="TTransformer">The prediction transformer <c>Fit</c> returns.</typeparam>
/// <typeparam name="TModel">The model parameters inside it.</typeparam>
public abstract class AdamTrainerBase<TTransformer, TModel> : ITrainerEstimator<TTransformer, TModel>
    where TTransformer : class, ISingleFeaturePredictionTransformer<TModel>
    where TModel : class
{
    private readonly IHostEnvironment _environment;
    private readonly string _name;

    // Keyed by the transformer object a Fit returned: each key is unique to one Fit, so lookups cannot see another
    // run's result. Weak keys: an entry lives exactly as long as its transformer.
    private readonly ConditionalWeakTable<TTransformer, AdamFitResult<TTransformer>> _results = new();

    private protected AdamTrainerBase(IHostEnvironment environment, AdamTrainerOptionsBase options, string name)
    {
        _environment = environment ?? throw new ArgumentNullException(nameof(environment));
        Settings = options.ToSettings();
        _name = name;

        // The model is loaded into a private context: loading needs an MLContext, and the catalog's environment is not one.
        LoadContext = environment as MLContext ?? new MLContext(Settings.Seed);
    }

    /// <summary>
    /// The trainer's characteristics as ML.NET reads them: <see cref="TrainerInfo.NeedNormalization"/> is false (the
    /// trainer standardizes features implicitly, see <see cref="AdamTrainerOptionsBase.Standardization"/>) and
    /// <see cref="TrainerInfo.WantCaching"/> is false (the trainer streams or packs the training set itself, so an
    /// ML.NET cache in front of it only costs memory).
    /// </summary>
    public TrainerInfo Info => AdamTrainerInfo.Instance;

    internal TrainingSettings Settings { get; }

    private protected MLContext LoadContext { get; }

    private protected abstract LabelKind LabelKind { get; }

    /// <summary>Trains on <paramref name="input"/> and returns ML.NET's prediction transformer.</summary>
    /// <param name="input">The training data.</param>
    public TTransformer Fit(IDataView input) => FitDetailed(input).Model;

    /// <summary>
    /// Trains on <paramref name="trainData"/>, monitoring the log-loss on <paramref name="validationData"/> after every
    /// epoch: training stops early when it stops improving and the returned model holds the best weights seen.
    /// </summary>
    /// <param name="trainData">The training data.</param>
    /// <param name="validationData">The validation data (same schema).</param>
    public TTransformer Fit(IDataView trainData, IDataView validationData) => FitDetailed(trainData, validationData).Model;

    /// <summary>
    /// Continues a run from <paramref name="checkpoint"/> (<see cref="AdamFitResult{TTransformer}.Checkpoint"/> of an
    /// earlier <c>FitDetailed</c>, or <see cref="TrainingCheckpoint.Load"/>): weights, Adam moments, schedule and epoch
    /// count carry over, so N epochs then M more equal N + M epochs.
    /// </summary>
    /// <param name="trainData">The training data (the same as the checkpointed run's, for exact continuation).</param>
    /// <param name="checkpoint">The checkpoint to continue from.</param>
    public TTransformer Fit(IDataView trainData, TrainingCheckpoint checkpoint) => FitDetailed(trainData, checkpoint).Model;

    /// <summary>As <see cref="Fit(IDataView)"/>, and returns the run's summary and checkpoint with the model.</summary>
    /// <param name="trainData">The training data.</param>
    public AdamFitResult<TTransformer> FitDetailed(IDataView trainData) => Train(trainData, null, new TrainingStart(null, null));

    /// <summary>As <see cref="Fit(IDataView, IDataView)"/>, and returns the run's summary and checkpoint with the model.</summary>
    /// <param name="trainData">The training data.</param>
    /// <param name="validationData">The validation data (same schema).</param>
    public AdamFitResult<TTransformer> FitDetailed(IDataView trainData, IDataView validationData)
    {
        ArgumentNullException.ThrowIfNull(validationData);
        return Train(trainData, validationData, new TrainingStart(null, null));
    }

    /// <summary>As <see cref="Fit(IDataView, TrainingCheckpoint)"/>, and returns the run's summary and checkpoint with the model.</summary>
    /// <param name="trainData">The training data.</param>
    /// <param name="checkpoint">The checkpoint to continue from.</param>
    public AdamFitResult<TTransformer> FitDetailed(IDataView trainData, TrainingCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        return Train(trainData, null, new TrainingStart(null, checkpoint));
    }

    /// <summary>
    /// The result of the <c>Fit</c> of this trainer that returned <paramref name="model"/>, for models trained inside a
    /// pipeline (<c>pipeline.Fit(data).LastTransformer</c>); null when <paramref name="model"/> is not a transformer
    /// this trainer instance returned in this process (for example one loaded from a file). Safe under concurrent fits:
    /// the lookup is by the transformer object, which belongs to exactly one run. A result is kept only while its
    /// transformer is alive.
    /// </summary>
    /// <param name="model">A transformer returned by <c>Fit</c> of this trainer.</param>
    public AdamFitResult<TTransformer>? GetFitResult(ITransformer model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model is TTransformer typed && _results.TryGetValue(typed, out var result) ? result : null;
    }

    /// <inheritdoc/>
    public abstract SchemaShape GetOutputSchema(SchemaShape inputSchema);

    private protected AdamFitResult<TTransformer> Train(IDataView trainData, IDataView? validationData, TrainingStart start)
    {
        ArgumentNullException.ThrowIfNull(trainData);
        var columns = TrainingColumns.Bind(trainData.Schema, Settings.FeatureColumnName, Settings.LabelColumnName, Settings.ExampleWeightColumnName, LabelKind);
        using var channel = _environment.Start(_name);
        var engine = new TrainingEngine(Settings, columns, channel);
        var run = engine.Run(trainData, validationData, start);
        var result = new AdamFitResult<TTransformer>(CreateTransformer(trainData.Schema, columns, run), run.Summary, run.Checkpoint);
        _results.AddOrUpdate(result.Model, result);
        return result;
    }

    private protected abstract TTransformer CreateTransformer(DataViewSchema trainingSchema, TrainingColumns columns, TrainingResult result);
}
