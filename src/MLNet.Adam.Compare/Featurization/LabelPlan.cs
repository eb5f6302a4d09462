using Microsoft.ML;
using Microsoft.ML.Transforms;
using MLNet.Adam.Compare.CommandLine;

namespace MLNet.Adam.Compare.Featurization;

/// <summary>
/// The task and the label column every trainer reads: for binary a <see cref="bool"/> column (true = the positive
/// class), for multiclass a key column whose values are the class names in ordinal order.
/// </summary>
internal sealed class LabelPlan
{
    public const string LabelColumn = "Label";

    /// <summary>At most this many classes: more is almost certainly a regression target or an id column.</summary>
    public const int MaxClasses = 1000;

    private LabelPlan(string sourceColumn, string displayName, TaskKind task, IReadOnlyList<string> classes, string? positiveClass)
    {
        SourceColumn = sourceColumn;
        DisplayName = displayName;
        Task = task;
        Classes = classes;
        PositiveClass = positiveClass;
    }

    /// <summary>The string column holding the label values.</summary>
    public string SourceColumn { get; }

    /// <summary>The label column's name in the user's data (the source column may be a converted copy).</summary>
    public string DisplayName { get; }

    public TaskKind Task { get; }

    /// <summary>Class names, ordinal order.</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>For binary: the value mapped to true.</summary>
    public string? PositiveClass { get; }

    /// <summary>
    /// A label whose values are all numbers with more distinct values than this looks like a continuous (regression)
    /// target; the tool refuses it unless --task says it is a class label.
    /// </summary>
    public const int ContinuousLimit = ColumnProfile.CategoricalLimit;

    /// <summary>
    /// Chooses the task (two classes = binary unless <paramref name="forced"/>) and the positive class
    /// (<paramref name="positiveClass"/>, else <see cref="ChoosePositive"/>). A label of numbers with more than
    /// <see cref="ContinuousLimit"/> distinct values is refused as a regression target unless the task is forced.
    /// </summary>
    public static LabelPlan Create(
        string sourceColumn, IEnumerable<string> distinct, bool overflow, TaskKind? forced, string? displayName = null, string? positiveClass = null, bool numeric = false)
    {
        var name = displayName ?? sourceColumn;
        var classes = distinct.OrderBy(c => c, StringComparer.Ordinal).ToList();
        if (forced is null && numeric && (overflow || classes.Count > ContinuousLimit))
        {
            var count = overflow ? $"more than {MaxClasses}" : classes.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            throw new UserInputException(
                $"The label column '{name}' has {count} distinct numeric values (such as {string.Join(", ", classes.Take(5))}): it looks like a continuous " +
                "target, and regression is not what this tool does (it compares classifiers). Choose a class column with --label, " +
                "or add --task multiclass (or binary) if these numbers are class ids.");
        }

        if (overflow || classes.Count > MaxClasses)
        {
            throw new UserInputException($"The label column '{name}' has more than {MaxClasses} distinct values; it does not look like a class label.");
        }

        if (classes.Count < 2)
        {
            var only = classes.Count == 1 ? $"one class ('{classes[0]}')" : "no values";
            throw new UserInputException($"The label column '{name}' has {only}: classification needs at least two classes.");
        }

        var task = forced ?? (classes.Count == 2 ? TaskKind.Binary : TaskKind.Multiclass);
        if (task == TaskKind.Binary && classes.Count != 2)
        {
            throw new UserInputException(
                $"--task binary needs exactly two label values, but '{name}' has {classes.Count}: {string.Join(", ", classes.Take(10))}.");
        }

        if (positiveClass is not null && task != TaskKind.Binary)
        {
            throw new UserInputException(
                $"--positive-class applies to binary classification, but the label '{name}' has {classes.Count} classes and the task is multiclass.");
        }

        var positive = task != TaskKind.Binary ? null : positiveClass is null ? ChoosePositive(classes) : FindClass(classes, positiveClass, name);
        return new LabelPlan(sourceColumn, name, task, classes, positive);
    }

    /// <summary>"1", "true", "yes", "positive", "pos" or "+" when present (case-insensitive), otherwise the later value in ordinal order.</summary>
    public static string ChoosePositive(IReadOnlyList<string> twoClasses)
    {
        string[] conventional = ["1", "true", "yes", "positive", "pos", "+"];
        return twoClasses.FirstOrDefault(c => conventional.Contains(c.Trim(), StringComparer.OrdinalIgnoreCase)) ?? twoClasses[1];
    }

    private static string FindClass(IReadOnlyList<string> classes, string value, string name) =>
        classes.FirstOrDefault(c => c == value)
        ?? classes.FirstOrDefault(c => string.Equals(c.Trim(), value.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? throw new UserInputException(
            $"--positive-class '{value}' is not a value of the label '{name}', whose values are: {string.Join(", ", classes.Select(c => $"'{c}'"))}.");

    /// <summary>Maps the string label to <see cref="LabelColumn"/>: a bool (binary) or a key over <see cref="Classes"/> (multiclass).</summary>
    public IEstimator<ITransformer> BuildEstimator(MLContext context)
    {
        if (Task == TaskKind.Binary)
        {
            var pairs = Classes.Select(c => new KeyValuePair<ReadOnlyMemory<char>, bool>(c.AsMemory(), c == PositiveClass));
            return context.Transforms.Conversion.MapValue(LabelColumn, pairs, SourceColumn);
        }

        var keys = context.Data.LoadFromEnumerable(Classes.Select(c => new ClassName { Value = c }));
        return context.Transforms.Conversion.MapValueToKey(LabelColumn, SourceColumn, keyData: keys);
    }

    public string Describe() => Task == TaskKind.Binary
        ? $"binary: label '{DisplayName}', positive class '{PositiveClass}', negative '{Classes.First(c => c != PositiveClass)}'"
        : $"multiclass: label '{DisplayName}', {Classes.Count} classes ({string.Join(", ", Classes.Take(10))}{(Classes.Count > 10 ? ", ..." : string.Empty)})";

    private sealed class ClassName
    {
        public string Value { get; set; } = string.Empty;
    }
}
