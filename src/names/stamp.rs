//! The ground floor's stamp for anything a build keeps for the next one (the incremental
//! cache, the search index's reusable state): a cache written by another version of ntg
//! may hold another shape or meaning, so it is trusted only under the same stamp.

/// The version every cache file is written under and checked against: ntg's own version,
/// or, in debug builds only, `NTG_TEST_VERSION`, so a test can write a cache as "another
/// version" and check that this one ignores it.
pub fn version() -> String {
    #[cfg(debug_assertions)]
    if let Ok(v) = std::env::var("NTG_TEST_VERSION") {
        return v;
    }
    env!("CARGO_PKG_VERSION").to_string()
}
