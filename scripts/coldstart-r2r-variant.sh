#!/usr/bin/env bash
# Makes a variant directory for the `coldstart` benchmark: a copy of the Release build of tests/MLNet.Adam.Benchmarks
# whose MLNet.Adam.Core.dll and MLNet.Adam.dll are ReadyToRun-compiled (linux-x64) by the crossgen2 of the running
# .NET version, against that version's runtime pack. The runtime reads ReadyToRun code only from images made by the
# crossgen2 of its own major version, so an image made by the net8.0 crossgen2 is ignored by .NET 10 (measured: the
# same JIT counts as without it).
# Usage: bash scripts/coldstart-r2r-variant.sh OUT_DIR [extra crossgen2 options, e.g. --instruction-set:x86-64-v4]
# then:  dotnet run -c Release --project tests/MLNet.Adam.Benchmarks -- coldstart --variant base= --variant "r2r=OUT_DIR"
# The crossgen2 and runtime packs come into the NuGet cache with any ReadyToRun publish, for example
#   dotnet publish -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true tests/MLNet.Adam.Benchmarks -o /tmp/r2r-all
# (which also makes the variant where the application compiles every assembly, ML.NET's included).
set -euo pipefail
out="${1:?usage: coldstart-r2r-variant.sh OUT_DIR [crossgen2 options]}"
shift
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$root/tests/MLNet.Adam.Benchmarks/bin/Release/net10.0"
dotnet build -c Release "$root/tests/MLNet.Adam.Benchmarks" -nologo -v quiet >/dev/null
version="$(dotnet --list-runtimes | awk '/^Microsoft.NETCore.App /{print $2}' | sort -V | tail -1)"
packages="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
crossgen="$packages/microsoft.netcore.app.crossgen2.linux-x64/$version/tools/crossgen2"
runtime="$packages/microsoft.netcore.app.runtime.linux-x64/$version/runtimes/linux-x64/lib/net${version%%.*}.0"
for needed in "$crossgen" "$runtime"; do
    [[ -e "$needed" ]] || { echo "missing $needed: run a ReadyToRun publish first (see the header of this script)" >&2; exit 1; }
done
rm -rf "$out"
cp -r "$build" "$out"
for assembly in MLNet.Adam.Core MLNet.Adam; do
    "$crossgen" "$build/$assembly.dll" -o "$out/$assembly.dll" -O --targetos:linux --targetarch:x64 \
        -r "$runtime/*.dll" -r "$build/*.dll" "$@" | grep -v '^Emitting' || true
done
echo "ReadyToRun variant in $out (crossgen2 $version)"
