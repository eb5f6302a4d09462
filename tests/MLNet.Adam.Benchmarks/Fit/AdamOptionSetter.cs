using System.Globalization;
using System.Reflection;

namespace MLNet.Adam.Benchmarks.Fit;

/// <summary>
/// Applies <c>--adam NAME=VALUE</c> settings to our trainers' Options by reflection, so that every public field or
/// property (including ones added later) can be set from the command line. Dotted names reach nested option objects
/// (<c>Schedule.Kind=Constant</c>). Values: numbers (invariant culture), booleans, enum names, time spans, strings,
/// and <c>null</c> for nullable options.
/// </summary>
internal static class AdamOptionSetter
{
    public static void Validate(string setting)
    {
        int equals = setting.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0 || equals == setting.Length - 1)
        {
            throw new ArgumentException($"--adam expects NAME=VALUE (for example NumberOfThreads=1), got \"{setting}\".");
        }
    }

    public static void Apply(object options, string setting)
    {
        Validate(setting);
        int equals = setting.IndexOf('=', StringComparison.Ordinal);
        string[] path = setting[..equals].Trim().Split('.');
        string text = setting[(equals + 1)..].Trim();
        object target = options;
        for (int i = 0; i < path.Length; i++)
        {
            var member = Find(target.GetType(), path[i])
                ?? throw new ArgumentException(
                    $"--adam {setting}: {target.GetType().Name} has no public option \"{path[i]}\"; known: {string.Join(", ", Members(target.GetType()).Select(m => m.Name).Order())}.");
            if (i < path.Length - 1)
            {
                target = Get(member, target) ?? throw new ArgumentException($"--adam {setting}: {path[i]} is null, so {path[i + 1]} cannot be set.");
                continue;
            }

            Set(member, target, Convert(text, TypeOf(member), setting));
        }
    }

    private static IEnumerable<MemberInfo> Members(Type type) =>
        type.GetFields(BindingFlags.Public | BindingFlags.Instance).Cast<MemberInfo>()
            .Concat(type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite || !p.PropertyType.IsValueType));

    private static MemberInfo? Find(Type type, string name) =>
        Members(type).FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase));

    private static Type TypeOf(MemberInfo member) => member is FieldInfo f ? f.FieldType : ((PropertyInfo)member).PropertyType;

    private static object? Get(MemberInfo member, object target) => member is FieldInfo f ? f.GetValue(target) : ((PropertyInfo)member).GetValue(target);

    private static void Set(MemberInfo member, object target, object? value)
    {
        if (member is FieldInfo field)
        {
            field.SetValue(target, value);
        }
        else if (member is PropertyInfo { CanWrite: true } property)
        {
            property.SetValue(target, value);
        }
        else
        {
            throw new ArgumentException($"--adam: {member.Name} cannot be set.");
        }
    }

    private static object? Convert(string text, Type type, string setting)
    {
        var underlying = Nullable.GetUnderlyingType(type);
        if (text.Equals("null", StringComparison.OrdinalIgnoreCase))
        {
            return underlying is not null || !type.IsValueType ? null : throw new ArgumentException($"--adam {setting}: this option is not nullable.");
        }

        var target = underlying ?? type;
        try
        {
            if (target.IsEnum)
            {
                return Enum.Parse(target, text, ignoreCase: true);
            }

            if (target == typeof(TimeSpan))
            {
                return TimeSpan.Parse(text, CultureInfo.InvariantCulture);
            }

            if (target == typeof(string) || target == typeof(bool) || target.IsPrimitive || target == typeof(decimal))
            {
                return System.Convert.ChangeType(text, target, CultureInfo.InvariantCulture);
            }
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            string known = target.IsEnum ? $" (one of {string.Join(", ", Enum.GetNames(target))})" : string.Empty;
            throw new ArgumentException($"--adam {setting}: \"{text}\" is not a valid {target.Name}{known}.", e);
        }

        throw new ArgumentException($"--adam {setting}: options of type {target.Name} cannot be set from the command line.");
    }
}
