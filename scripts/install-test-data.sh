#!/usr/bin/env bash
# Installs the real data sets the tests and the comparison tool use when present:
#   - Fashion-MNIST from Debian's dataset-fashion-mnist (/usr/share/datasets/fashion-mnist);
#   - scikit-learn's small bundled tables (breast cancer, wine, iris) taken from Debian's python3-sklearn package
#     without installing it (the .deb is unpacked to a temporary folder) into /usr/share/datasets/sklearn.
# Idempotent and quiet on success; needs root.
set -euo pipefail

readonly SKLEARN_DIR=/usr/share/datasets/sklearn
readonly FASHION_DIR=/usr/share/datasets/fashion-mnist

fail() {
    echo "install-test-data.sh: $*" >&2
    exit 1
}

[[ $EUID -eq 0 ]] || fail "must run as root: sudo bash scripts/install-test-data.sh"
command -v apt-get >/dev/null || fail "apt-get not found: this script supports Debian (bookworm or later)."

log=$(mktemp)
work=$(mktemp -d)
trap 'rm -rf "$log" "$work"' EXIT

run_quietly() {
    if ! "$@" >>"$log" 2>&1; then
        cat "$log" >&2
        fail "command failed: $*"
    fi
}

updated=0
ensure_updated() {
    if [[ $updated -eq 0 ]]; then
        run_quietly apt-get update
        updated=1
    fi
}

if [[ ! -e "$FASHION_DIR/train-images-idx3-ubyte.gz" ]]; then
    ensure_updated
    run_quietly env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends dataset-fashion-mnist
fi

if [[ ! -e "$SKLEARN_DIR/breast_cancer.csv" ]]; then
    ensure_updated
    (cd "$work" && run_quietly apt-get download python3-sklearn)
    run_quietly dpkg-deb -x "$work"/python3-sklearn_*.deb "$work/root"
    source_dir=$(find "$work/root" -type d -path '*sklearn/datasets/data' | head -n 1)
    [[ -n "$source_dir" ]] || fail "python3-sklearn does not contain sklearn/datasets/data"
    mkdir -p "$SKLEARN_DIR"
    cp "$source_dir"/breast_cancer.csv "$source_dir"/wine_data.csv "$source_dir"/iris.csv "$SKLEARN_DIR"/
fi
