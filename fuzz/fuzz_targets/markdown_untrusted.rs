//! A submission's markdown body, rendered and sanitised: no panic, no hang, and no event
//! handler, script or script URL in the HTML (`ntg::fuzzing::markdown` checks it).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    ntg::fuzzing::markdown(data, false);
});
