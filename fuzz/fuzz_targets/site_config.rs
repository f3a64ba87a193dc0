//! `site.yaml`: no panic, no hang, every diagnostic inside the file.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    ntg::fuzzing::site_config(data);
});
