//! A document's front matter, read as every section and as the home page, against the
//! repository's own vocabularies: no panic, no hang, every diagnostic inside the document.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ntg::fuzzing::Vocabularies;
use std::path::Path;
use std::sync::LazyLock;

static VOCABULARIES: LazyLock<Vocabularies> = LazyLock::new(|| {
    Vocabularies::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join(".."))
        .expect("the repository's data files load")
});

fuzz_target!(|data: &[u8]| {
    ntg::fuzzing::front_matter(data, &VOCABULARIES);
});
