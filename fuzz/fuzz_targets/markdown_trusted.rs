//! A trusted document's markdown body (a case study), whose raw HTML a site may let
//! through: no panic and no hang.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    ntg::fuzzing::markdown(data, true);
});
