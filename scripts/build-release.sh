#!/usr/bin/env bash
# Builds daw as it is shipped and prints the binary's path.
#
#   scripts/build-release.sh          # target/release/daw
#
# On Linux (glibc) the binary links the C library statically (static-pie): it then needs no dynamic
# loader, which saves 0.4-0.7 ms at every start (a quarter to a third of a 2 ms `daw status` of an
# unchanged project; docs/BENCHMARKS.md), and it runs on any Linux of the same architecture. daw
# never calls what glibc can only do with shared libraries at run time (user or host name lookups,
# iconv, dlopen), although the code is linked (docs/ARCHITECTURE.md, "The shipped binary").
# Elsewhere this is `cargo build --release`.
#
# `cargo install --path .` and `cargo build --release` build the usual dynamically linked binary; the
# static one needs the flag on daw's own binary only (it would refuse proc-macros), hence `cargo rustc`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
static=no
# (The output is read whole first: `ldd --version | grep -q` under pipefail fails at random when grep
# exits before ldd has written everything and ldd dies of SIGPIPE.)
libc="$(ldd --version 2>&1 || true)"
# Where cargo puts it (CARGO_TARGET_DIR or a config may move the target folder).
target_dir="$(cargo metadata --format-version 1 --no-deps --manifest-path "$root/Cargo.toml" |
    sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')"
bin="${target_dir:-$root/target}/release/daw"
# Builds the static-pie with the given extra rustc flags; true if it built and starts (a linker that
# took the flags but made something else is caught here).
build_static() {
    cargo rustc --release --quiet --manifest-path "$root/Cargo.toml" --bin daw -- \
        -C target-feature=+crt-static "$@" && "$bin" --version >/dev/null
}
if [ "$(uname -s)" = Linux ] && [[ "${libc,,}" == *glibc* || "${libc,,}" == *"gnu libc"* ]]; then
    # glibc 2.36 and later relocate a static-pie packed as RELR (`-z pack-relative-relocs`): 0.23 MB
    # of relocations become a few KB. An older glibc would start the binary unrelocated, so not there.
    version="$(head -n 1 <<<"$libc" | grep -o '[0-9][0-9.]*$' || true)"
    major="${version%%.*}" minor="${version#*.}"
    minor="${minor%%.*}"
    if [[ "$major" =~ ^[0-9]+$ && "$minor" =~ ^[0-9]+$ ]] &&
        ((major > 2 || (major == 2 && minor >= 36))) &&
        build_static -C link-arg=-Wl,-z,pack-relative-relocs; then
        static=yes
    elif build_static; then
        static=yes
    else
        # A system without the static C library (Fedora's glibc-static, say) still gets a daw.
        echo "build-release: no static daw (it did not link or did not start); building the dynamically linked one" >&2
    fi
fi
if [ "$static" = no ]; then
    cargo build --release --quiet --manifest-path "$root/Cargo.toml"
fi
echo "$bin"
