using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MLNet.Adam.Data;
using MLNet.Adam.Training;

namespace MLNet.Adam.Trainers;

/// <summary>
/// What both Adam trainers share: validated settings, the owning context's log, the training engine and the
/// result of the last <c>Fit</c>. The trained models are ML.NET's own types, written in ML.NET's model-file format
/// and loaded back through <see cref="ModelOperationsCatalog.Load(Stream, out DataViewSchema)"/>.
/// </summary>
/// <typeparam name="TTransformer">The prediction transformer <c>Fit</c> returns.</typeparam>
public abstract class AdamTrainerBase<TTransformer> : IEstimator<TTransformer>
    where TTransformer : class, ITransformer
{
    private readonly IHostEnvironment _environment;
    private readonly string _name;

    private protected AdamTrainerBase(IHostEnvironment environment, AdamTrainerOptionsBase options, string name)
    {
        _environment = environment ?? throw new ArgumentNullException(nameof(environment));
        Settings = options.ToSettings();
        _name = name;

        // The model is loaded into a private context: loading needs an MLContext, and the catalog's environment is not one.
        LoadContext = environment as MLContext ?? new MLContext(Settings.Seed);
    }

    /// <summary>The summary of the last <c>Fit</c> (history per epoch, stop reason, row counts, kernels), or null before the first.</summary>
    public TrainingSummary? LastTrainingSummary { get; private set; }

    /// <summary>
    /// A checkpoint of the last <c>Fit</c> from which training can continue bit-identically with
    /// <c>Fit(trainData, checkpoint)</c>; null before the first <c>Fit</c>.
    /// </summary>
    public TrainingCheckpoint? LastCheckpoint { get; private set; }

    private protected TrainingSettings Settings { get; }

    private protected MLContext LoadContext { get; }

    private protected abstract LabelKind LabelKind { get; }

    /// <summary>Trains on <paramref name="input"/> and returns ML.NET's prediction transformer.</summary>
    public TTransformer Fit(IDataView input) => Train(input, null, new TrainingStart(null, null));

    /// <summary>
    /// Trains on <paramref name="trainData"/>, monitoring the log-loss on <paramref name="validationData"/> after every
    /// epoch: training stops early when it stops improving and the returned model holds the best weights seen.
    /// </summary>
    public TTransformer Fit(IDataView trainData, IDataView validationData)
    {
        ArgumentNullException.ThrowIfNull(validationData);
        return Train(trainData, validationData, new TrainingStart(null, null));
    }

    /// <summary>
    /// Continues a run from <paramref name="checkpoint"/> (see <see cref="LastCheckpoint"/>): weights, Adam moments,
    /// schedule and epoch count carry over, so N epochs then M more equal N + M epochs.
    /// </summary>
    public TTransformer Fit(IDataView trainData, TrainingCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        return Train(trainData, null, new TrainingStart(null, checkpoint));
    }

    /// <inheritdoc/>
    public abstract SchemaShape GetOutputSchema(SchemaShape inputSchema);

    private protected TTransformer Train(IDataView trainData, IDataView? validationData, TrainingStart start)
    {
        ArgumentNullException.ThrowIfNull(trainData);
        var columns = TrainingColumns.Bind(trainData.Schema, Settings.FeatureColumnName, Settings.LabelColumnName, Settings.ExampleWeightColumnName, LabelKind);
        using var channel = _environment.Start(_name);
        var engine = new TrainingEngine(Settings, columns, LoadContext, channel);
        var result = engine.Run(trainData, validationData, start);
        LastTrainingSummary = result.Summary;
        LastCheckpoint = result.Checkpoint;
        return CreateTransformer(trainData.Schema, columns, result);
    }

    private protected abstract TTransformer CreateTransformer(DataViewSchema trainingSchema, TrainingColumns columns, TrainingResult result);

    /// <summary>
    /// The environment behind an ML.NET trainer catalog, so that training messages reach the owning context's
    /// <see cref="MLContext.Log"/>. ML.NET keeps it behind an internal interface; when it cannot be read (a future
    /// ML.NET version) a fresh context is used and its log is not connected.
    /// </summary>
    internal static IHostEnvironment EnvironmentOf(object catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return TryGetEnvironment(catalog) ?? new MLContext();
    }

    internal static IHostEnvironment? TryGetEnvironment(object catalog)
    {
        const BindingFlags flags = BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public;
        for (var type = catalog.GetType(); type is not null; type = type.BaseType)
        {
            foreach (var property in type.GetProperties(flags))
            {
                if (property.GetIndexParameters().Length == 0 && typeof(IHostEnvironment).IsAssignableFrom(property.PropertyType) &&
                    property.Name.EndsWith("Environment", StringComparison.Ordinal))
                {
                    try
                    {
                        if (property.GetValue(catalog) is IHostEnvironment environment)
                        {
                            return environment;
                        }
                    }
                    catch (TargetInvocationException)
                    {
                        // Fall through to the next candidate, then to the fallback.
                    }
                }
            }
        }

        return null;
    }
}
