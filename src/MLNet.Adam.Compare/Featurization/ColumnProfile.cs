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

    /// <summary>Values kept to tell whether every row has a distinct value (an identifier); beyond this the first rows decide.</summary>
    public const int UniqueTrackingLimit = 100_000;

    /// <summary>Rows needed before a column with a distinct value in every row is called an identifier.</summary>
    public const int IdentifierMinimumRows = 20;

    private readonly HashSet<string> _distinct = new(StringComparer.Ordinal);
    private readonly int _distinctCap;
    private readonly char _decimalMarker;
    private HashSet<string>? _unique = new(StringComparer.Ordinal);

    public ColumnProfile(string name, int index, int distinctCap = CategoricalLimit, char decimalMarker = '.')
    {
        Name = name;
        Index = index;
        _distinctCap = distinctCap;
        _decimalMarker = decimalMarker;
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

    /// <summary>Every present value is a whole number (so far); false for a column without numbers.</summary>
    public bool AllWholeNumbers => AllNumeric && Present > 0 && !_fraction;

    /// <summary>
    /// Every present value is a number if the other decimal marker is used ('3,14' with --decimal-marker '.', or '3.14'
    /// with ','), some value needs it, and so the column is read as strings.
    /// </summary>
    public bool NumbersButForDecimalMarker => !AllNumeric && Present > 0 && _otherMarkerNumbers == Present;

    /// <summary>The first value that is a number only with the other decimal marker.</summary>
    public string? OtherMarkerExample { get; private set; }

    /// <summary>
    /// Every row has a distinct value, in a column of whole numbers or of strings without spaces: an identifier (an id,
    /// a key, a phone number) rather than a feature. Free text and real-valued measurements are unique by nature and not reported.
    /// </summary>
    public bool LooksLikeIdentifier =>
        _unique is not null && Missing == 0 && Present >= IdentifierMinimumRows && !_spaces && (AllWholeNumbers || !AllNumeric);

    private bool _fraction;
    private bool _spaces;
    private long _otherMarkerNumbers;

    public static bool IsMissingToken(string value) =>
        value.Length == 0 || value == "?" || value.Equals("NA", StringComparison.OrdinalIgnoreCase) || value.Equals("NaN", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether TextLoader reads <paramref name="value"/> as a number with the decimal marker <paramref name="decimalMarker"/> ('.' or ',').</summary>
    public static bool IsNumber(string value, char decimalMarker = '.') => TryParse(value, decimalMarker, out _);

    public static bool TryParse(string value, char decimalMarker, out double number)
    {
        number = 0;
        var other = decimalMarker == '.' ? ',' : '.';
        return !value.Contains(other, StringComparison.Ordinal) &&
            double.TryParse(decimalMarker == '.' ? value : value.Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out number);
    }

    public void Add(string raw, int line = 0)
    {
        var value = raw.Trim();
        if (IsMissingToken(value))
        {
            Missing++;
            return;
        }

        Present++;
        TrackUnique(value);
        var other = _decimalMarker == '.' ? ',' : '.';
        bool numberWithOther = IsNumber(value, other);
        _otherMarkerNumbers += numberWithOther ? 1 : 0;
        if (TryParse(value, _decimalMarker, out var number))
        {
            NumericCount++;
            if (number != Math.Floor(number))
            {
                // Real-valued measurements are distinct by nature: no identifier check, and no values kept for it.
                _fraction = true;
                _unique = null;
            }
        }
        else
        {
            if (AllNumeric)
            {
                AllNumeric = false;
                FirstNonNumeric = (value, line);
            }

            if (numberWithOther)
            {
                OtherMarkerExample ??= value;
            }
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

    private void TrackUnique(string value)
    {
        if (_unique is null || _unique.Count >= UniqueTrackingLimit)
        {
            return;
        }

        _spaces |= value.Contains(' ', StringComparison.Ordinal);
        if (!_unique.Add(value) || _spaces)
        {
            _unique = null;
        }
    }
}
