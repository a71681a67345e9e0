//! Keymap files from bytes: `parse_keymap` (alone and as an override of the default keymap)
//! never panics, and an error names `file:line`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    jicha_fuzz::check_keymap(&text);
});
