//! A gap file in EES's tidy layout, with its `.meta.csv` before a NUL byte if there is one,
//! checked against the repository's local authorities: no panic, no hang, every diagnostic
//! inside its file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ntg::resolve::authorities::Authorities;
use std::path::Path;
use std::sync::LazyLock;

static AUTHORITIES: LazyLock<Authorities> = LazyLock::new(|| {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let inputs = ntg::inputs::Disk { root: &root }.named(&[ntg::resolve::AUTHORITIES]);
    ntg::resolve::authorities(&inputs).expect("the repository's local authorities load")
});

fuzz_target!(|data: &[u8]| {
    ntg::fuzzing::ees_csv(data, &AUTHORITIES);
});
