using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Runtime;

namespace MLNet.Adam.Trainers;

/// <summary>
/// The environment behind an ML.NET trainer catalog, so that training messages reach the owning context's
/// <see cref="MLContext.Log"/>. ML.NET keeps it behind an internal interface; when it cannot be read (a future ML.NET
/// version) a fresh context is used and its log is not connected.
/// </summary>
internal static class CatalogEnvironment
{
    internal static IHostEnvironment Of(object catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return TryGet(catalog) ?? new MLContext();
    }

    internal static IHostEnvironment? TryGet(object catalog)
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
