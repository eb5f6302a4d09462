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

    /// <summary>Chooses the task (two classes = binary unless <paramref name="forced"/>) and the positive class.</summary>
    public static LabelPlan Create(string sourceColumn, IEnumerable<string> distinct, bool overflow, TaskKind? forced, string? displayName = null)
    {
        var name = displayName ?? sourceColumn;
        var classes = distinct.OrderBy(c => c, StringComparer.Ordinal).ToList();
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

        return new LabelPlan(sourceColumn, name, task, classes, task == TaskKind.Binary ? ChoosePositive(classes) : null);
    }

    /// <summary>"1", "true", "yes" or "positive" when present (case-insensitive), otherwise the later value in ordinal order.</summary>
    public static string ChoosePositive(IReadOnlyList<string> twoClasses)
    {
        string[] conventional = ["1", "true", "yes", "positive", "pos"];
        return twoClasses.FirstOrDefault(c => conventional.Contains(c.Trim(), StringComparer.OrdinalIgnoreCase)) ?? twoClasses[1];
    }

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
