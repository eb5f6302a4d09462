namespace MLNet.Adam.Training;

/// <summary>Turns the class-weighting option and the scanned class totals into one weight per class.</summary>
internal static class ClassWeightResolver
{
    /// <summary>The weights and the training rows' total weight after weighting, which must be positive.</summary>
    public static float[] Resolve(TrainingSettings settings, double[] classTotals, out double totalWeight)
    {
        var weights = Resolve(settings, classTotals);
        totalWeight = 0;
        for (int c = 0; c < weights.Length; c++)
        {
            totalWeight += classTotals[c] * weights[c];
        }

        if (!(totalWeight > 0))
        {
            throw new InvalidOperationException(
                $"The training rows have a total weight of {totalWeight}; at least one row needs a positive example weight (column '{settings.ExampleWeightColumnName}').");
        }

        return weights;
    }

    public static float[] Resolve(TrainingSettings settings, double[] classTotals)
    {
        int classes = classTotals.Length;
        var weights = new float[classes];
        switch (settings.ClassWeighting)
        {
            case ClassWeighting.Balanced:
                double total = classTotals.Sum();
                int present = classTotals.Count(t => t > 0);
                for (int c = 0; c < classes; c++)
                {
                    // A class absent from the data has no rows to weigh; 0 keeps the formula finite.
                    weights[c] = classTotals[c] > 0 ? (float)(total / (present * classTotals[c])) : 0f;
                }

                break;
            case ClassWeighting.Custom:
                var given = settings.ClassWeights!;
                if (given.Length != classes)
                {
                    throw new ArgumentOutOfRangeException(
                        "ClassWeights", given.Length, $"Option ClassWeights has {given.Length} entries but the label has {classes} classes; give one weight per class.");
                }

                given.CopyTo(weights, 0);
                var presentClasses = Enumerable.Range(0, classes).Where(c => classTotals[c] > 0).ToArray();
                if (presentClasses.Length > 0 && presentClasses.All(c => given[c] == 0))
                {
                    throw new ArgumentOutOfRangeException(
                        "ClassWeights",
                        $"Option ClassWeights gives weight 0 to every class present in the training data (class {string.Join(", ", presentClasses)}), so no row would count; give at least one of them a positive weight.");
                }

                break;
            default:
                Array.Fill(weights, 1f);
                break;
        }

        return weights;
    }
}
