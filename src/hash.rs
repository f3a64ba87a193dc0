//! A small stable hash (FNV-1a, 64 bits) for content-addressed names: asset URLs, the search
//! export's folder and the build id. Same bytes, same name, on every build and machine, which
//! a std `Hasher` does not promise.

/// The hash of `bytes`.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    fnv1a_continue(0xcbf2_9ce4_8422_2325, bytes)
}

/// Continues [`fnv1a`] from `h` over more bytes, to hash many files as one.
pub fn fnv1a_continue(h: u64, bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .fold(h, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}
