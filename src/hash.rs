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

/// A 128-bit hash (SipHash-1-3 under fixed keys) for keying what a build keeps for the next
/// one by content: fnv1a's 64 bits are fine for names, but a collision here would reuse the
/// wrong work silently, so cached keys get twice the bits and a real mixing function.
#[derive(Clone)]
pub struct Strong(siphasher::sip128::SipHasher13);

impl Default for Strong {
    fn default() -> Strong {
        Strong(siphasher::sip128::SipHasher13::new_with_keys(
            0x6e74_6720_7365_6172,
            0x6368_2072_6575_7365,
        ))
    }
}

impl Strong {
    /// Adds one field, its length first, so that ("ab", "c") and ("a", "bc") differ.
    pub fn field(&mut self, bytes: &[u8]) -> &mut Strong {
        use std::hash::Hasher;
        self.0.write(&(bytes.len() as u64).to_le_bytes());
        self.0.write(bytes);
        self
    }

    /// The hash of the fields added so far.
    pub fn finish(&self) -> u128 {
        use siphasher::sip128::Hasher128;
        self.0.finish128().as_u128()
    }
}

/// The [`Strong`] hash of one field.
pub fn strong(bytes: &[u8]) -> u128 {
    Strong::default().field(bytes).finish()
}
