using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace MLNet.Adam.Compare.Featurization;

/// <summary>How a feature column is turned into part of the Features vector.</summary>
internal enum ColumnKind
{
    Numeric,

    /// <summary>Image pixel intensities: scaled to [0, 1] only (NormalizeMinMax), as images are usually fed to linear models.</summary>
    Pixels,
    Categorical,
    Text,
    Ignored,
}

/// <summary>A decision for one column, with the reason shown to the user.</summary>
internal sealed record ColumnDecision(string Name, ColumnKind Kind, string Reason);

/// <summary>
/// The featurization chosen from column profiles: numeric columns are concatenated, missing values replaced by the
/// mean and the result standardized with NormalizeMeanVariance (centered too: with ML.NET's default fixZero
/// the offsets stay and first-order trainers such as SDCA, SGD and Adam converge slowly); string columns with at most
/// <see cref="ColumnProfile.CategoricalLimit"/> distinct values are one-hot encoded; other string columns go through
/// FeaturizeText. Everything is concatenated into <see cref="FeatureColumn"/>.
/// </summary>
internal sealed class FeaturizationPlan
{
    public const string FeatureColumn = "Features";
    private const string NumericColumn = "__NumericFeatures";

    public FeaturizationPlan(IReadOnlyList<ColumnDecision> columns)
    {
        Columns = columns;
        if (!columns.Any(c => c.Kind != ColumnKind.Ignored))
        {
            throw new UserInputException("No usable feature columns: every column other than the label is empty or constant.");
        }

        // The mapped label is written to a column named Label; a feature of that name would be replaced by the label itself.
        if (columns.Any(c => c.Kind != ColumnKind.Ignored && c.Name == LabelPlan.LabelColumn))
        {
            throw new UserInputException(
                $"A feature column is named '{LabelPlan.LabelColumn}' but is not the label: rename it, or choose it with --label {LabelPlan.LabelColumn}.");
        }
    }

    public IReadOnlyList<ColumnDecision> Columns { get; }

    public IEnumerable<string> Of(ColumnKind kind) => Columns.Where(c => c.Kind == kind).Select(c => c.Name);

    /// <summary>Decides each column's featurization from its profile.</summary>
    public static FeaturizationPlan FromProfiles(IEnumerable<ColumnProfile> profiles) =>
        new([.. profiles.Select(Decide)]);

    public static ColumnDecision Decide(ColumnProfile profile)
    {
        if (profile.IsNumericVector)
        {
            return new(profile.Name, ColumnKind.Numeric, "numeric vector");
        }

        if (profile.Present == 0)
        {
            return new(profile.Name, ColumnKind.Ignored, "no values");
        }

        if (profile.Distinct.Count == 1 && !profile.DistinctOverflow)
        {
            return new(profile.Name, ColumnKind.Ignored, "constant");
        }

        if (profile.AllNumeric)
        {
            return new(profile.Name, ColumnKind.Numeric, profile.Missing > 0 ? $"numbers, {profile.Missing} missing" : "numbers");
        }

        return profile.DistinctOverflow
            ? new(profile.Name, ColumnKind.Text, $"strings, more than {ColumnProfile.CategoricalLimit} distinct")
            : new(profile.Name, ColumnKind.Categorical, $"strings, {profile.Distinct.Count} distinct");
    }

    /// <summary>The ML.NET estimator producing <see cref="FeatureColumn"/>.</summary>
    public IEstimator<ITransformer> BuildEstimator(MLContext context)
    {
        var parts = new List<string>();
        IEstimator<ITransformer> chain = new EstimatorChain<ITransformer>();
        var numeric = Of(ColumnKind.Numeric).ToArray();
        if (numeric.Length > 0)
        {
            chain = chain
                .Append(context.Transforms.Concatenate(NumericColumn, numeric))
                .Append(context.Transforms.ReplaceMissingValues(NumericColumn, replacementMode: MissingValueReplacingEstimator.ReplacementMode.Mean))
                .Append(context.Transforms.NormalizeMeanVariance(NumericColumn, fixZero: false));
            parts.Add(NumericColumn);
        }

        foreach (var name in Of(ColumnKind.Pixels))
        {
            // Standardizing every pixel would blow up the rare corner pixels' noise: scaling to [0, 1] keeps zeros and
            // the images' relative intensities, for every trainer alike.
            chain = chain.Append(context.Transforms.NormalizeMinMax("__Pixels_" + name, name));
            parts.Add("__Pixels_" + name);
        }

        var categorical = Of(ColumnKind.Categorical).Select(name => new InputOutputColumnPair("__OneHot_" + name, name)).ToArray();
        if (categorical.Length > 0)
        {
            chain = chain.Append(context.Transforms.Categorical.OneHotEncoding(categorical));
            parts.AddRange(categorical.Select(p => p.OutputColumnName));
        }

        foreach (var name in Of(ColumnKind.Text))
        {
            chain = chain.Append(context.Transforms.Text.FeaturizeText("__Text_" + name, name));
            parts.Add("__Text_" + name);
        }

        return chain.Append(context.Transforms.Concatenate(FeatureColumn, [.. parts]));
    }

    /// <summary>Lines describing the featurization, for the console and the report.</summary>
    public IEnumerable<string> Describe()
    {
        foreach (var group in Columns.GroupBy(c => c.Kind).OrderBy(g => g.Key))
        {
            var treatment = group.Key switch
            {
                ColumnKind.Numeric => "numeric -> concatenated, missing values replaced by the mean, NormalizeMeanVariance (centered: fixZero false)",
                ColumnKind.Pixels => "pixels -> NormalizeMinMax (scaled to [0, 1])",
                ColumnKind.Categorical => $"categorical (<= {ColumnProfile.CategoricalLimit} distinct strings; text vectors <= {Data.IdvSource.VectorCategoricalLimit}) -> OneHotEncoding",
                ColumnKind.Text => "text -> FeaturizeText",
                _ => "ignored",
            };
            var names = group.Select(c => $"{c.Name} ({c.Reason})").ToList();
            var shown = names.Count > 12 ? string.Join(", ", names.Take(12)) + $", ... ({names.Count} columns)" : string.Join(", ", names);
            yield return $"{treatment}: {shown}";
        }
    }
}
