#!/usr/bin/env bash
# Builds jicha's release artefacts for the audit servers (RELEASE.md): stripped binaries for
# glibc 2.17 and later on x86_64 and aarch64 (cargo zigbuild), and for each a .deb, an .rpm
# and a .tar.gz with the man pages, the shell completions and the systemd units.
# Not run in CI: it needs the tools below and several minutes per architecture.
#
#   scripts/release.sh                  # x86_64 and aarch64
#   scripts/release.sh --arch x86_64    # one architecture
#   scripts/release.sh --no-docs        # packages without man pages and completions (for a
#                                       # jicha that has no `man`/`completions` subcommands)
#
#   CARGO_TARGET_DIR=DIR scripts/release.sh   # build elsewhere than target/ (so a test build
#                                       # in target/ does not wait for the release build's lock)
#
# Tools (once per machine):
#   python3 -m venv .venv && .venv/bin/pip install ziglang   # zig, the C toolchain cargo
#                                       # zigbuild links with (a system-wide pip install works too)
#   cargo install --locked cargo-zigbuild cargo-deb cargo-generate-rpm
#   rustup target add x86_64-unknown-linux-gnu aarch64-unknown-linux-gnu
set -euo pipefail

GLIBC=2.17
PROFILE=dist
arches=(x86_64 aarch64)
docs=yes
out=dist

die() { printf 'release: %s\n' "$*" >&2; exit 1; }
say() { printf 'release: %s\n' "$*" >&2; }

while [ $# -gt 0 ]; do
    case "$1" in
    --arch) [ $# -ge 2 ] || die "--arch needs x86_64, aarch64 or all"
        case "$2" in all) arches=(x86_64 aarch64) ;; x86_64|aarch64) arches=("$2") ;;
        *) die "--arch $2: choose x86_64, aarch64 or all" ;; esac
        shift 2 ;;
    --no-docs) docs=no; shift ;;
    --out) [ $# -ge 2 ] || die "--out needs a directory"; out=$2; shift 2 ;;
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
    esac
done

cd "$(dirname "$0")/.."
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -1)
[ -n "$version" ] || die "no version in Cargo.toml"

# --- tools -----------------------------------------------------------------------------------
# A ziglang installed in the tree's .venv: cargo zigbuild finds zig through `python3 -m ziglang`.
if [ -x .venv/bin/python3 ] && .venv/bin/python3 -m ziglang version >/dev/null 2>&1; then
    PATH=$PWD/.venv/bin:$PATH
fi
missing=()
command -v cargo-zigbuild >/dev/null || missing+=("cargo install --locked cargo-zigbuild")
{ command -v zig >/dev/null || python3 -m ziglang version >/dev/null 2>&1; } ||
    missing+=("pip install ziglang")
command -v cargo-deb >/dev/null || missing+=("cargo install --locked cargo-deb")
command -v cargo-generate-rpm >/dev/null || missing+=("cargo install --locked cargo-generate-rpm")
command -v objdump >/dev/null || missing+=("apt-get install binutils (objdump)")
command -v file >/dev/null || missing+=("apt-get install file")
command -v dpkg-deb >/dev/null || missing+=("apt-get install dpkg (dpkg-deb)")
for arch in "${arches[@]}"; do
    rustup target list --installed | grep -qx "$arch-unknown-linux-gnu" ||
        missing+=("rustup target add $arch-unknown-linux-gnu")
done
if [ ${#missing[@]} -gt 0 ]; then
    printf 'release: missing tools; install them with:\n' >&2
    printf '  %s\n' "${missing[@]}" >&2
    exit 1
fi

# --- binaries --------------------------------------------------------------------------------
# The host's architecture first: its binary writes the man pages and completions.
host=$(uname -m)
ordered=()
for arch in "${arches[@]}"; do [ "$arch" = "$host" ] && ordered+=("$arch"); done
for arch in "${arches[@]}"; do [ "$arch" != "$host" ] && ordered+=("$arch"); done

target_dir=${CARGO_TARGET_DIR:-target}
bin_of() { echo "$target_dir/$1-unknown-linux-gnu/$PROFILE/jicha"; }

# The newest glibc symbol version the binary needs.
glibc_needed() {
    objdump -T "$1" | grep -o 'GLIBC_[0-9.]*' | sort -V | tail -1
}

for arch in "${ordered[@]}"; do
    triple=$arch-unknown-linux-gnu
    say "building $triple for glibc $GLIBC"
    cargo zigbuild --locked --profile "$PROFILE" --target "$triple.$GLIBC"
    bin=$(bin_of "$arch")
    needed=$(glibc_needed "$bin")
    [ "$(printf '%s\n' "GLIBC_$GLIBC" "$needed" | sort -V | tail -1)" = "GLIBC_$GLIBC" ] ||
        die "$bin needs $needed, newer than glibc $GLIBC"
    if objdump -h "$bin" | grep -q '\.debug_\|\.symtab'; then
        die "$bin is not stripped (profile $PROFILE must set strip = \"symbols\")"
    fi
    case "$arch" in x86_64) machine="x86-64" ;; aarch64) machine="ARM aarch64" ;; esac
    desc=$(file -b "$bin")
    [[ $desc == *"$machine"* ]] || die "$bin is not an $arch binary: $desc"
    say "$bin: $arch, needs $needed at most; stripped"
done

# --- man pages and completions ---------------------------------------------------------------
rm -rf target/assets
mkdir -p target/assets/man target/assets/completions
variant=()
if [ "$docs" = yes ]; then
    hostbin=$(bin_of "$host")
    [ -x "$hostbin" ] || die "the man pages are written by the $host binary: include --arch $host, or use --no-docs"
    if ! "$hostbin" man --help >/dev/null 2>&1 || ! "$hostbin" completions --help >/dev/null 2>&1; then
        die "this jicha has no \`man\` or \`completions\` subcommand; build from a tree that has them, or use --no-docs"
    fi
    "$hostbin" man --out target/assets/man
    "$hostbin" completions bash > target/assets/completions/jicha.bash
    "$hostbin" completions zsh > target/assets/completions/_jicha
    "$hostbin" completions fish > target/assets/completions/jicha.fish
    ls target/assets/man/*.1 >/dev/null 2>&1 || die "jicha man --out wrote no man page"
else
    say "packaging WITHOUT man pages and completions (--no-docs)"
    variant=(--variant no-docs)
fi

# --- packages --------------------------------------------------------------------------------
# The man pages and the completions are in both packages: the .deb's file list, and the file
# names in the .rpm's header (stored uncompressed; no rpm tool is needed to read them).
check_docs_packaged() {
    local debarch=$1 deb rpm name listing
    [ "$1" = x86_64 ] && debarch=amd64
    [ "$1" = aarch64 ] && debarch=arm64
    deb=$(ls "$out"/jicha_"$version"-*_"$debarch".deb)
    rpm=$(ls "$out"/jicha-"$version"-*."$1".rpm)
    # Listed first: `grep -q` leaving a pipe early would fail the pipeline under pipefail.
    listing=$(dpkg-deb -c "$deb")
    for name in ./usr/share/man/man1/jicha.1 ./usr/share/bash-completion/completions/jicha \
        ./usr/share/zsh/vendor-completions/_jicha ./usr/share/fish/vendor_completions.d/jicha.fish; do
        # cargo deb may gzip a man page.
        grep -Eq " ${name//./\\.}(\.gz)?\$" <<<"$listing" || die "$deb lacks $name"
    done
    for name in jicha.1 jicha-findings.1 /usr/share/man/man1/ /usr/share/bash-completion/completions/ \
        _jicha /usr/share/zsh/site-functions/ jicha.fish /usr/share/fish/vendor_completions.d/; do
        grep -aqF "$name" "$rpm" || die "$rpm lacks $name"
    done
    say "$deb, $rpm: man pages and completions packaged"
}

mkdir -p "$out"
for arch in "${ordered[@]}"; do
    triple=$arch-unknown-linux-gnu
    bin=$(bin_of "$arch")
    # Already stripped by the profile: no strip tool for a foreign architecture is needed.
    cargo deb --no-build --no-strip --target "$triple" --profile "$PROFILE" "${variant[@]}" --output "$out/"
    cargo generate-rpm --target "$triple" --profile "$PROFILE" "${variant[@]}" --output "$out/"
    [ "$docs" = yes ] && check_docs_packaged "$arch"
    name=jicha-$version-$triple
    stage=target/assets/$name
    rm -rf "$stage"
    mkdir -p "$stage"
    cp "$bin" README.md SECURITY.md RELEASE.md "$stage/"
    cp -r contrib/systemd "$stage/systemd"
    if [ "$docs" = yes ]; then cp -r target/assets/man target/assets/completions "$stage/"; fi
    tar -C target/assets -czf "$out/$name.tar.gz" "$name"
    say "$triple: $(glibc_needed "$bin") at most, binary $(stat -c %s "$bin") bytes"
done

(cd "$out" && sha256sum -- *.deb *.rpm *.tar.gz > SHA256SUMS)
say "artefacts in $out/:"
ls -l "$out" >&2
