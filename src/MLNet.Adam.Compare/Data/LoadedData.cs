using Microsoft.ML;
using MLNet.Adam.Compare.Featurization;

namespace MLNet.Adam.Compare.Data;

/// <summary>Raw data with its label and featurization plans; <see cref="Test"/> is set when a separate test set exists.</summary>
/// <param name="Data">Training rows (all rows for cross-validation and hold-out), label still in its source column.</param>
/// <param name="Test">Separate test rows (--test FILE or a dataset's own test split), or null.</param>
/// <param name="Label">The task and label mapping.</param>
/// <param name="Features">The featurization.</param>
/// <param name="Source">Where the data came from, for reports.</param>
internal sealed record LoadedData(IDataView Data, IDataView? Test, LabelPlan Label, FeaturizationPlan Features, string Source)
{
    /// <summary>Things the user should know about how the data was read (illegal quoting, identifier columns, decimal commas), printed and reported.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
