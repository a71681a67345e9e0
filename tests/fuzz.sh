#!/usr/bin/env bash
# Coverage-guided fuzzing of jicha with cargo-fuzz (libFuzzer), each target for a bounded time.
#
#   tests/fuzz.sh [SECONDS_PER_TARGET]      (default 60)
#   JICHA_FUZZ_TARGETS=cli tests/fuzz.sh 300  (one target)
#
# Targets (fuzz/fuzz_targets/): import (CSV bytes -> customers.csv + bills.csv -> import_dir,
# errors located and terminal-safe), keymap (TOML bytes -> parse_keymap, errors `file:line:`),
# log_verify (random edits of a 10-record action log -> verify answers, no false "intact"),
# cli (argument vectors walked from the clap command tree or split raw at NUL bytes -> the CLI
# in-process against a fresh copy of a seeded dataset: no panic, exit 0/1/2, terminal-safe
# output, no raw SQLite error).
# The checks live in fuzz/src/lib.rs and mirror tests/fuzz_smoke.rs, which runs in `cargo test`.
#
# Needs `cargo install cargo-fuzz`. There is no nightly toolchain here: RUSTC_BOOTSTRAP=1 lets
# the stable compiler accept the -Z flags cargo-fuzz passes; `-s none` skips AddressSanitizer
# (jicha is safe Rust apart from a few libc calls; the bundled SQLite is not instrumented).
# A crash leaves its input in fuzz/artifacts/TARGET/; turn it into a regression test in tests/.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
secs="${1:-60}"
export RUSTC_BOOTSTRAP=1
cargo fuzz build -s none
status=0
for target in ${JICHA_FUZZ_TARGETS:-import keymap log_verify cli}; do
    mkdir -p "corpus/$target"
    echo "== $target: ${secs}s"
    if ! cargo fuzz run -s none "$target" "corpus/$target" -- \
        -max_total_time="$secs" -max_len=8192 -timeout=10 -print_final_stats=1 2>&1 |
        tee "/tmp/jicha-fuzz-$target.log" | grep -E "^(#[0-9]+ +DONE|stat::|==|SUMMARY|panicked)"; then
        status=1
    fi
    grep -q "panicked\|SUMMARY: libFuzzer" "/tmp/jicha-fuzz-$target.log" && status=1
done
exit $status
