using System.Globalization;

namespace MLNet.Adam.Compare.Featurization;

/// <summary>
/// What one pass over a column's values tells about it: whether every present value is a number, how many are
/// missing, and its distinct values up to a cap (enough to tell a categorical column from free text).
/// </summary>
internal sealed class ColumnProfile
{
    /// <summary>String columns with at most this many distinct values are one-hot encoded; more are featurized as text.</summary>
    public const int CategoricalLimit = 20;

    private readonly HashSet<string> _distinct = new(StringComparer.Ordinal);
    private readonly int _distinctCap;

    public ColumnProfile(string name, int index, int distinctCap = CategoricalLimit)
    {
        Name = name;
        Index = index;
        _distinctCap = distinctCap;
    }

    public string Name { get; }

    /// <summary>Position of the column in the file (CSV field index).</summary>
    public int Index { get; }

    public bool AllNumeric { get; private set; } = true;

    /// <summary>Present values that parse as numbers.</summary>
    public long NumericCount { get; private set; }

    /// <summary>The first present value that is not a number, and its line (0 when lines are unknown).</summary>
    public (string Value, int Line)? FirstNonNumeric { get; private set; }

    /// <summary>
    /// At least 95% of the present values are numbers but some are not: almost certainly a numeric column with a
    /// typo or an unusual missing-value marker, which would otherwise silently be featurized as text.
    /// </summary>
    public bool LooksLikeBrokenNumbers => !AllNumeric && Present >= 20 && NumericCount >= 0.95 * Present;

    public long Present { get; private set; }

    public long Missing { get; private set; }

    /// <summary>True when the column has more distinct values than the cap (so <see cref="Distinct"/> is incomplete).</summary>
    public bool DistinctOverflow { get; private set; }

    public IReadOnlyCollection<string> Distinct => _distinct;

    /// <summary>A pre-typed numeric column (from a binary .idv or a generated dataset): never parsed, never categorical.</summary>
    public bool IsNumericVector { get; init; }

    public static bool IsMissingToken(string value) =>
        value.Length == 0 || value == "?" || value.Equals("NA", StringComparison.OrdinalIgnoreCase) || value.Equals("NaN", StringComparison.OrdinalIgnoreCase);

    public static bool IsNumber(string value) =>
        float.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    public void Add(string raw, int line = 0)
    {
        var value = raw.Trim();
        if (IsMissingToken(value))
        {
            Missing++;
            return;
        }

        Present++;
        if (IsNumber(value))
        {
            NumericCount++;
        }
        else if (AllNumeric)
        {
            AllNumeric = false;
            FirstNonNumeric = (value, line);
        }

        if (!DistinctOverflow)
        {
            _distinct.Add(value);
            if (_distinct.Count > _distinctCap)
            {
                DistinctOverflow = true;
            }
        }
    }
}
