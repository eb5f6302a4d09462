#!/usr/bin/env bash
# Installs Intel MKL's single dynamic library (Debian package libmkl-rt, component non-free) so that
# MLNet.Adam's MKL backend can bind to /usr/lib/x86_64-linux-gnu/libmkl_rt.so at run time.
# Idempotent: returns at once when the library is already present. Quiet on success; on failure prints
# what went wrong (with apt's output) and exits non-zero. Needs root (run with sudo).
set -euo pipefail

readonly LIBRARY=/usr/lib/x86_64-linux-gnu/libmkl_rt.so
readonly DEB822=/etc/apt/sources.list.d/debian.sources
readonly CLASSIC=/etc/apt/sources.list

fail() {
    echo "install-mkl.sh: $*" >&2
    exit 1
}

if [[ -e "$LIBRARY" ]]; then
    exit 0
fi

[[ "$(uname -s)" == Linux && "$(uname -m)" == x86_64 ]] || fail "MKL packages exist for x86-64 Linux only (this is $(uname -sm))."
[[ $EUID -eq 0 ]] || fail "must run as root: sudo bash scripts/install-mkl.sh"
command -v apt-get >/dev/null || fail "apt-get not found: this script supports Debian (bookworm or later). Install Intel oneMKL another way and put libmkl_rt.so on the library path."

log=$(mktemp)
trap 'rm -f "$log"' EXIT

run_quietly() {
    if ! "$@" >>"$log" 2>&1; then
        cat "$log" >&2
        fail "command failed: $*"
    fi
}

# Outputs are captured before grep -q so that pipefail never sees a writer killed by SIGPIPE.
has_candidate() {
    local policy
    policy=$(apt-cache policy libmkl-rt 2>/dev/null || true)
    grep -Eq 'Candidate: [0-9]' <<<"$policy"
}

# The word test must not be fooled by "non-free-firmware".
has_non_free='(^|[[:space:]])non-free([[:space:]]|$)'

enable_non_free() {
    local changed=0
    if [[ -f "$DEB822" ]]; then
        local components
        components=$(grep -E '^Components:' "$DEB822" || true)
        if [[ -n "$components" ]] && grep -Evq "$has_non_free" <<<"$components"; then
            cp -n "$DEB822" "$DEB822.before-mkl"
            sed -E -i "/^Components:/{/$has_non_free/!s/[[:space:]]*\$/ non-free/}" "$DEB822"
            changed=1
        fi
    fi
    if [[ -f "$CLASSIC" ]]; then
        # Only lines naming a Debian archive; third-party repositories keep their components.
        local pattern='^[[:space:]]*deb(-src)?[[:space:]]+([[][^]]*[]][[:space:]]+)?[^[:space:]]*debian[^[:space:]]*[[:space:]]'
        local lines
        lines=$(grep -E "$pattern" "$CLASSIC" || true)
        if [[ -n "$lines" ]] && grep -Evq "$has_non_free" <<<"$lines"; then
            cp -n "$CLASSIC" "$CLASSIC.before-mkl"
            sed -E -i "/$pattern/{/$has_non_free/!s/[[:space:]]*\$/ non-free/}" "$CLASSIC"
            changed=1
        fi
    fi
    return $((1 - changed))
}

if ! has_candidate; then
    enable_non_free || true
    run_quietly apt-get update
    has_candidate || fail "package libmkl-rt not found in the configured apt sources even with the non-free component enabled (is this Debian bookworm or later on x86-64?)."
fi

run_quietly env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libmkl-rt

[[ -e "$LIBRARY" ]] || fail "libmkl-rt installed but $LIBRARY is missing; locate libmkl_rt.so and add its folder to LD_LIBRARY_PATH."
