//! Random edits of a small action log: `verify` never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    jicha_fuzz::check_log(data);
});
