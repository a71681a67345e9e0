//! CSV import from bytes: Ok, or an import error whose lines are all `file:line: `.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    jicha_fuzz::check_import(data);
});
