//! The placeholders `ntg new` writes where only the writer knows the value, and what to write
//! in their place. One form, `<TODO ...>`, serves every key: it is valid YAML as a value and
//! as an item of a flow list, it reads as a note to the writer, and no real value has it, so
//! `ntg check` can find it in any key rather than in the few `ntg new` fills today. A
//! placeholder is never a real council, slug or level that would pass the check unnoticed.

use super::{EvidenceStatus, HypothesisStatus, Section};
use crate::resolve::taxonomy::{Kind, Taxonomies, Vocabulary};

const OPEN: &str = "<TODO";
const CLOSE: &str = ">";

/// Whether `s` is a placeholder: it starts `<TODO` and ends `>`.
pub fn is_placeholder(s: &str) -> bool {
    let s = s.trim();
    s.starts_with(OPEN) && s.ends_with(CLOSE)
}

/// The placeholder asking for `what` (`<TODO choose one or more themes>`). `what` holds no
/// `,`, `[`, `]`, `{`, `}`, `#` or `: `, so the placeholder stays one plain scalar, in a flow
/// list too.
pub fn placeholder(what: &str) -> String {
    format!("{OPEN} {what}{CLOSE}")
}

/// What a document of `section` takes under `key`, in words that follow "write" (the check's
/// message) or stand alone (the comment `ntg new` writes beside the key): the allowed values
/// of a vocabulary, read from the site's taxonomies, or what the value is.
pub fn what_to_write(key: &str, section: Section, tax: &Taxonomies) -> String {
    match key {
        "summary" => {
            "one or two sentences for listings and search results, at most 400 characters".into()
        }
        "themes" => one_or_more(&tax.themes),
        "groups" => one_or_more(&tax.groups),
        "outcomes" => one_or_more(&tax.outcomes),
        "evidence_level" => {
            let levels: Vec<String> = tax
                .evidence_levels
                .iter()
                .map(|l| format!("{} ({})", l.level, l.name))
                .collect();
            format!("one of: {}", levels.join(", "))
        }
        "status" => {
            let names: Vec<&str> = match section {
                Section::Hypotheses => HypothesisStatus::ALL.iter().map(|s| s.as_str()).collect(),
                _ => EvidenceStatus::ALL.iter().map(|s| s.as_str()).collect(),
            };
            format!("one of: {}", names.join(", "))
        }
        "local_authorities" => "the GSS code (a letter and eight digits) or the exact name of \
             each council, as data/local-authorities.csv lists them"
            .into(),
        "organisation" if section == Section::Evidence => "who submitted it".into(),
        "organisation" => "who ran it".into(),
        "supports" => "the slugs of hypotheses this practice supports".into(),
        "challenges" => "the slugs of hypotheses it calls into question".into(),
        "indicators" => "ids from data/indicators.yaml: gap series charted beside it".into(),
        "age_range" => "the ages of the children it was for, such as 3-13".into(),
        "hearing" => "true if invited to give evidence at the hearing".into(),
        "promoted_to" => "the slug of the case study written up from it".into(),
        "slug" => "the address's last part in place of the file name: a-z, 0-9 and hyphens".into(),
        "weight" => "a whole number that orders it in listings, lower first".into(),
        _ => "its value (CONTENT-FORMAT.md says what each key takes)".into(),
    }
}

/// The check's message for a placeholder left in `key`.
pub fn message(key: &str, section: Section, tax: &Taxonomies) -> String {
    format!(
        "`{key}` still holds the placeholder from `ntg new`: write {}",
        what_to_write(key, section, tax)
    )
}

fn one_or_more<K: Kind>(v: &Vocabulary<K>) -> String {
    let slugs: Vec<&str> = v.terms().iter().map(|t| t.slug.as_str()).collect();
    format!("one or more of: {}", slugs.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_is_recognised_and_nothing_else() {
        assert!(is_placeholder(&placeholder("choose one or more themes")));
        assert!(is_placeholder("<TODO>"));
        for real in [
            "engaging-parents",
            "<em>Family</em> learning",
            "TODO list",
            "<TODO",
        ] {
            assert!(!is_placeholder(real), "{real}");
        }
    }
}
