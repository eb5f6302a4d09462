#!/usr/bin/env bash
# Packs the libraries and the comparison tool, then uses them as a new user would, from a local folder feed:
#   1. installs MLNet.Adam.Compare as a .NET tool into a temporary tool path and runs `adam-compare --help`;
#   2. builds and runs a tiny net10.0 console app that references the packed MLNet.Adam package, restored through a
#      temporary nuget.config that adds the local folder next to the normal package source.
# Everything goes into a temporary folder (packages restored into a fresh NUGET_PACKAGES, so a package of the same
# version cached by an earlier run can never be used instead of the one just packed). Called by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$(pwd)"

work="$(mktemp -d "${TMPDIR:-/tmp}/mlnet-adam-packages.XXXXXX")"
trap 'rm -rf "$work"' EXIT
feed="$work/feed"
export NUGET_PACKAGES="$work/packages"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

version="$(dotnet msbuild src/MLNet.Adam/MLNet.Adam.csproj -getProperty:Version)"
echo "== pack (version $version) into $feed"
dotnet pack MLNet.Adam.sln -c Release -o "$feed" -nologo -v quiet
for id in MLNet.Adam.Core MLNet.Adam MLNet.Adam.Compare; do
    for ext in nupkg snupkg; do
        test -f "$feed/$id.$version.$ext" || { echo "missing $feed/$id.$version.$ext" >&2; exit 1; }
    done
done

# The same nuget.config serves both steps: the local feed beside the sources configured for this user.
cat > "$work/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="local" value="$feed" />
  </packageSources>
</configuration>
XML

echo "== dotnet tool install MLNet.Adam.Compare $version into a temporary tool path"
dotnet tool install MLNet.Adam.Compare --version "$version" --tool-path "$work/tools" --configfile "$work/nuget.config"
"$work/tools/adam-compare" --help > "$work/help.txt"
grep -q -- "--data" "$work/help.txt" || { echo "adam-compare --help did not list --data:" >&2; cat "$work/help.txt" >&2; exit 1; }
head -n 5 "$work/help.txt"

echo "== build and run a net10.0 consumer of the packed MLNet.Adam $version"
consumer="$work/consumer"
mkdir -p "$consumer"
cp "$work/nuget.config" "$consumer/nuget.config"
cat > "$consumer/Consumer.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
    <NoWarn>\$(NoWarn);NU1603</NoWarn>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="MLNet.Adam" Version="$version" />
  </ItemGroup>
</Project>
XML
cat > "$consumer/Program.cs" <<'CS'
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNet.Adam;

// Two Gaussian blobs: a package that trains at all separates them.
var random = new Random(7);
var rows = Enumerable.Range(0, 400).Select(i =>
{
    bool label = i % 2 == 0;
    float shift = label ? 1.5f : -1.5f;
    return new Row { Label = label, Features = [shift + (float)random.NextDouble() - 0.5f, -shift + (float)random.NextDouble() - 0.5f] };
}).ToList();

var ml = new MLContext(seed: 1);
var data = ml.Data.LoadFromEnumerable(rows);
var trainer = ml.BinaryClassification.Trainers.AdamLogisticRegression(numberOfEpochs: 50);
var (model, summary, _) = trainer.FitDetailed(data);
var metrics = ml.BinaryClassification.Evaluate(model.Transform(data));
Console.WriteLine($"MLNet.Adam from the package: accuracy {metrics.Accuracy:F3} after {summary.Epochs} epoch(s), {summary.StopReason}");
return metrics.Accuracy > 0.95 ? 0 : 1;

internal sealed class Row
{
    public bool Label { get; set; }

    [VectorType(2)]
    public float[] Features { get; set; } = [];
}
CS
(cd "$consumer" && dotnet run -c Release)

# The library brings no ONNX package (those are for tests and samples), and the consumer ran the assembly just
# packed, not another copy.
if grep -qi '"Microsoft.ML.Onnx' "$consumer/obj/project.assets.json"; then
    echo "The MLNet.Adam package brings an ONNX package into its consumers" >&2; exit 1
fi
packed="$NUGET_PACKAGES/mlnet.adam/$version/lib/net8.0/MLNet.Adam.dll"
cmp "$packed" "$consumer/bin/Release/net10.0/MLNet.Adam.dll"
echo "== packages OK: $(cd "$feed" && ls | tr '\n' ' ')"
