//! The command line from bytes, in-process against a fresh copy of a small seeded dataset: the
//! first byte picks how the rest becomes an argument vector — walked from the clap command tree
//! (`jicha::fuzz_args::argv`, the fuzzer's bytes as its choices) or split raw at NUL
//! bytes — and `run_checked` asserts no panic, exit status 0/1/2, terminal-safe output and no
//! raw SQLite error.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    jicha_fuzz::check_cli(data);
});
