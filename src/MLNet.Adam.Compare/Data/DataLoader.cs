using Microsoft.ML;
using MLNet.Adam.Compare.CommandLine;

namespace MLNet.Adam.Compare.Data;

/// <summary>Chooses the data source from the options.</summary>
internal static class DataLoader
{
    public static LoadedData Load(MLContext context, CompareOptions options)
    {
        if (options.DataFile is { } path)
        {
            if (!File.Exists(path))
            {
                throw new UserInputException($"The data file '{path}' does not exist.");
            }

            if (options.TestFile is { } test && !File.Exists(test))
            {
                throw new UserInputException($"The test file '{test}' does not exist.");
            }

            return IdvSource.IsIdvPath(path) ? IdvSource.Load(context, options) : CsvSource.Load(context, options);
        }

        return options.Dataset == BuiltInDataset.FashionMnist
            ? FashionMnist.Load(context, options)
            : SyntheticData.Load(context, options);
    }
}
