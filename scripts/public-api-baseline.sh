#!/usr/bin/env bash
# Prints the public API lines that the build reports as undeclared (RS0016) for one library project, ready to be
# added to its PublicAPI.Unshipped.txt. Usage: bash scripts/public-api-baseline.sh src/MLNet.Adam/MLNet.Adam.csproj
# Review the lines before adding them: a public change should be deliberate (README: "Public API baseline").
set -euo pipefail
project="$(realpath "${1:?usage: public-api-baseline.sh <library.csproj>}")"
dotnet build "$project" --no-incremental -nologo -p:TreatWarningsAsErrors=false 2>&1 |
    grep -F "[$project]" |
    grep -o "warning RS0016: Symbol '.*' is not part of the declared public API" |
    sed -e "s/^warning RS0016: Symbol '//" -e "s/' is not part of the declared public API$//" |
    sort -u
