//! The ground floor's rules for names: what a slug is, and how words become one. Content,
//! vocabularies, indicators, the site's settings, headings and search facets all name things
//! this way, so the rules live below all of them rather than in any one.
//!
//! Two rules make names from words. `slug` makes what `is_slug` accepts (file names, search
//! facets): letters folded to ASCII. `heading_id` makes heading ids, which CONTENT-FORMAT.md
//! lets keep every script's letters, so that `## Café` is `#café` as it always was.
//!
//! Below it, the other names every stage shares: dates, GSS codes and indicator ids. The
//! ground floor imports nothing of ours.

pub mod build_id;
pub mod date;
pub mod gss;
pub mod hash;
pub mod indicator;
pub mod stamp;
pub mod store;

use unicode_normalization::char::decompose_compatible;

/// `a-z0-9-`, not empty, no leading, trailing or doubled `-`.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
}

/// The heading-id rule of CONTENT-FORMAT.md: lower-cased words joined with `-`, keeping
/// letters and digits of every script.
pub fn heading_id(s: &str) -> String {
    join_words(s.chars())
}

/// `s` made a slug: `is_slug` accepts it, or it is empty when nothing of `s` folds to an ASCII
/// letter or digit (emoji, scripts without a Latin spelling). Accents are folded (`é` to `e`,
/// `ß` to `ss`, `æ` to `ae`), what cannot be folded is dropped, and words are joined with `-`.
pub fn slug(s: &str) -> String {
    let mut folded = String::with_capacity(s.len());
    for c in s.chars() {
        fold(c, &mut folded);
    }
    join_words(folded.chars())
}

/// The letters that no Unicode decomposition takes to ASCII, as people spell them without
/// accents. Lower case only: `fold` lower-cases first.
const UNDECOMPOSABLE: &[(char, &str)] = &[
    ('ß', "ss"),
    ('æ', "ae"),
    ('œ', "oe"),
    ('ø', "o"),
    ('đ', "d"),
    ('ð', "d"),
    ('þ', "th"),
    ('ł', "l"),
    ('ħ', "h"),
    ('ı', "i"),
    ('ŧ', "t"),
];

/// Pushes the ASCII spelling of `c`: itself if ASCII, a space for any space, a spelling from
/// `UNDECOMPOSABLE`, or what its compatibility decomposition (NFKD: `é` is `e` and an accent,
/// `ﬁ` is `fi`) holds of ASCII. Anything else pushes nothing.
fn fold(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c);
    } else if c.is_whitespace() {
        out.push(' ');
    } else {
        for lower in c.to_lowercase() {
            match UNDECOMPOSABLE.iter().find(|(from, _)| *from == lower) {
                Some((_, to)) => out.push_str(to),
                None => decompose_compatible(lower, |d| {
                    if d.is_ascii() {
                        out.push(d);
                    }
                }),
            }
        }
    }
}

/// Lower-cases `chars` and keeps their letters and digits, one `-` between words (split at
/// spaces, `-` and `_`; other marks vanish, so `What's` is `whats`).
fn join_words(chars: impl Iterator<Item = char>) -> String {
    let mut out = String::new();
    for c in chars.flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.is_empty()
            && !out.ends_with('-')
            && (c.is_whitespace() || c == '-' || c == '_')
        {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// A slug read back as words, for a page: `under-review` reads "Under review".
pub fn label(word: &str) -> String {
    let spaced = word.replace('-', " ");
    let mut chars = spaced.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

#[cfg(test)]
mod tests {
    #[test]
    fn labels_read_as_words() {
        assert_eq!(super::label("under-review"), "Under review");
        assert_eq!(super::label("accepted"), "Accepted");
    }

    use super::*;

    #[test]
    fn slugs() {
        assert!(is_slug("family-learning-2"));
        assert!(!is_slug("Family_learning"));
        assert!(!is_slug("-x"));
        assert!(!is_slug("a--b"));
        assert_eq!(heading_id("Evidence of impact"), "evidence-of-impact");
        assert_eq!(heading_id("What's next? (2009)"), "whats-next-2009");
        assert_eq!(heading_id("Family_Learning  plan"), "family-learning-plan");
        assert_eq!(heading_id("Café à la carte"), "café-à-la-carte");
    }

    #[test]
    fn slugs_fold_accents_and_drop_what_cannot_be_folded() {
        for (title, want) in [
            ("Café à la carte", "cafe-a-la-carte"),
            ("Straße & Ærø", "strasse-aero"),
            ("Øresund, Łódź, Þingvellir", "oresund-lodz-thingvellir"),
            ("Œuvre: naïve façade", "oeuvre-naive-facade"),
            ("ＦＵＬＬ ｗｉｄｔｈ ﬁle №1", "full-width-file-no1"),
            ("İstanbul DİYARBAKIR", "istanbul-diyarbakir"),
            ("Leeds 🎉 reading club", "leeds-reading-club"),
            ("Hackney:\u{a0}young carers", "hackney-young-carers"),
            ("中文 and Ελληνικά", "and"),
            ("Zürich_2008 -- plan", "zurich-2008-plan"),
        ] {
            assert_eq!(slug(title), want, "{title}");
        }
        for nothing in ["", "   ", "🎉🚀", "中文", "—/—", "\u{200d}\u{301}", "..."] {
            assert_eq!(slug(nothing), "", "{nothing:?}");
        }
    }

    /// Whatever a title holds, `slug` makes a slug or nothing: every character alone, and at
    /// the start and end, doubled, and beside letters, spaces and hyphens, where it could
    /// join, split or double hyphens.
    #[test]
    fn every_character_makes_a_slug_or_nothing() {
        // Planes 0 to 3 and 14: every assigned character but private use (which, like the
        // unassigned planes between, is a letter of no script and is dropped).
        let planes = (0..=0x3FFFF).chain(0xE0000..=0xEFFFF);
        for c in planes.filter_map(char::from_u32) {
            for title in [c.to_string(), format!("{c}a{c}{c} {c}-{c}")] {
                let s = slug(&title);
                assert!(s.is_empty() || is_slug(&s), "{title:?} gave {s:?}");
            }
        }
    }
}
