//! `ntg new`: a new draft with every required key. What only the writer knows is a
//! placeholder (`placeholder::placeholder`) that `ntg check` rejects with what to write, so
//! the draft cannot be published unfilled; the allowed values of each vocabulary, read from
//! the site's taxonomies, and the optional keys of its kind are listed in comments beside them.

use crate::names::hash::fnv1a;
use crate::resolve::content::placeholder::{placeholder, what_to_write};
use crate::resolve::content::{EvidenceStatus, HypothesisStatus, Section, doc_slug};
use crate::resolve::taxonomy::Taxonomies;
use std::path::{Path, PathBuf};

/// Why `ntg new` could not write the document.
#[derive(Debug)]
pub enum NewError {
    /// The title is empty, or only spaces.
    EmptyTitle,
    /// A document of that name is there already; it is never written over.
    Exists(PathBuf),
    Io(std::io::Error),
}

/// The document `ntg new` wrote.
#[derive(Debug)]
pub struct Written {
    pub path: PathBuf,
    /// Nothing of the title folds to an ASCII letter or digit (emoji only, or a script
    /// without a Latin spelling), so the file is named by `fallback_slug` instead, which the
    /// command says.
    pub fallback: bool,
}

/// `key: value  # comment`, the comment saying what the key takes.
fn line(key: &str, value: &str, comment: &str) -> String {
    format!("{key}: {value}  # {comment}")
}

/// A required key the writer fills in, with what it takes beside it.
fn to_fill(key: &str, ask: &str, section: Section, tax: &Taxonomies) -> String {
    line(key, &placeholder(ask), &what_to_write(key, section, tax))
}

/// A required list the writer fills in, with what it takes beside it.
fn list_to_fill(key: &str, ask: &str, section: Section, tax: &Taxonomies) -> String {
    let value = format!("[{}]", placeholder(ask));
    line(key, &value, &what_to_write(key, section, tax))
}

/// The optional keys of `section`, each a commented-out line with what it takes, so a writer
/// sees them all and uncomments what they need. A value only the writer knows is a
/// placeholder here too, so a line uncommented and left unfilled is caught.
fn optional_keys(section: Section, tax: &Taxonomies) -> Vec<String> {
    let slug = placeholder("a slug");
    let mut keys = match section {
        Section::CaseStudies => vec![
            ("supports", "[]".to_string()),
            ("challenges", "[]".into()),
            ("indicators", "[]".into()),
            ("age_range", placeholder("ages")),
            ("organisation", placeholder("who ran it")),
        ],
        Section::Evidence => vec![
            ("local_authorities", "[]".into()),
            ("hearing", "true".into()),
            ("promoted_to", slug.clone()),
        ],
        Section::Hypotheses | Section::Pages => Vec::new(),
    };
    keys.extend([("slug", slug), ("weight", "0".into())]);
    let width = keys
        .iter()
        .map(|(k, v)| k.len() + v.len())
        .max()
        .unwrap_or(0);
    keys.iter()
        .map(|(key, value)| {
            let pad = width - key.len() - value.len();
            let what = what_to_write(key, section, tax);
            format!("# {key}: {value}{:pad$}  # {what}", "")
        })
        .collect()
}

/// The front matter and body for a new document of `section` titled `title`.
pub fn template(section: Section, title: &str, date: &str, tax: &Taxonomies) -> String {
    // One line, quoted only where YAML needs it, however long the title.
    let one_line = serde_saphyr::ser_options! { prefer_block_scalars: false };
    let quoted = serde_saphyr::to_string_with_options(&title, one_line).unwrap_or_default();
    let mut fm = vec![format!("title: {}", quoted.trim_end())];
    fm.push(format!(
        "summary: {}",
        placeholder("one or two sentences for listings and search results")
    ));
    if matches!(section, Section::CaseStudies | Section::Evidence) {
        fm.push(format!("date: {date}"));
    }
    fm.push("draft: true  # remove this line to publish".into());
    fm.push(list_to_fill(
        "themes",
        "choose one or more themes",
        section,
        tax,
    ));
    fm.push(list_to_fill(
        "groups",
        "choose one or more groups",
        section,
        tax,
    ));
    fm.push(list_to_fill(
        "outcomes",
        "choose one or more outcomes",
        section,
        tax,
    ));
    let level = to_fill("evidence_level", "choose a level", section, tax);
    // A status starts where the process does: a hypothesis is proposed, a submission received.
    let status = |first: &str| line("status", first, &what_to_write("status", section, tax));
    let body = match section {
        Section::CaseStudies => {
            fm.push(list_to_fill(
                "local_authorities",
                "councils where it happened",
                section,
                tax,
            ));
            fm.push(level);
            "## The challenge\n\n## What they did\n\n## Evidence of impact\n\n## Lessons for other councils\n"
        }
        Section::Hypotheses => {
            fm.push(status(HypothesisStatus::Proposed.as_str()));
            "## What we would expect to see\n\n## Evidence so far\n\n## How a council could test it\n"
        }
        Section::Evidence => {
            fm.push(to_fill("organisation", "who submitted it", section, tax));
            fm.push(status(EvidenceStatus::Received.as_str()));
            fm.push(level);
            "## What the submission says\n\n## Evidence offered\n"
        }
        Section::Pages => "",
    };
    fm.push("# Optional: remove the first `#` of a line to use it.".into());
    fm.extend(optional_keys(section, tax));
    format!("---\n{}\n---\n\n{body}", fm.join("\n"))
}

/// The slug of a document whose title gives none: its type and a hash of the title
/// (`hypothesis-1b9d2c4e`), the same for the same title on every run.
pub fn fallback_slug(section: Section, title: &str) -> String {
    let hash = fnv1a(title.as_bytes());
    format!("{}-{:08x}", section.type_name(), hash as u32)
}

/// Writes the new document under `root/content/`, never over an existing file.
pub fn write(
    root: &Path,
    section: Section,
    title: &str,
    date: &str,
    tax: &Taxonomies,
) -> Result<Written, NewError> {
    if title.trim().is_empty() {
        return Err(NewError::EmptyTitle);
    }
    let slug = doc_slug(title);
    let fallback = slug.is_empty();
    let slug = if fallback {
        fallback_slug(section, title)
    } else {
        slug
    };
    let dir = root.join("content").join(section.dir());
    let path = dir.join(format!("{slug}.md"));
    if path.exists() {
        return Err(NewError::Exists(path));
    }
    std::fs::create_dir_all(&dir).map_err(NewError::Io)?;
    std::fs::write(&path, template(section, title, date, tax)).map_err(NewError::Io)?;
    Ok(Written { path, fallback })
}

/// Today's date in UTC as YYYY-MM-DD (days-from-civil, inverted).
pub fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let days = (secs / 86_400) as i64 + 719_468;
    let era = days.div_euclid(146_097);
    let doe = days.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inputs::SourceFile;
    use crate::resolve::content::split::split_front_matter;
    use crate::resolve::frontmatter::Fields;

    fn file(rel: &str, text: String) -> SourceFile {
        SourceFile {
            rel: rel.into(),
            text,
        }
    }

    /// Whatever a title holds, the front matter written for it reads back as that title.
    #[test]
    fn titles_are_quoted_so_they_read_back_as_written() {
        let tax = Taxonomies::parse(&file(
            "data/taxonomies.yaml",
            "themes: [{slug: t, name: T}]\ngroups: [{slug: g, name: G}]\n\
             outcomes: [{slug: o, name: O}]\nevidence_levels: [{level: 1, name: One}]\n"
                .into(),
        ))
        .unwrap();
        let titles = [
            "Leeds: \"family\" reading",
            "123",
            "yes",
            "null",
            "~",
            "2008-05-14",
            "- a list?",
            "#hashtag",
            "[bracketed]",
            "Hackney's club: *starred* & {braced}",
            &"A title long enough to be folded by a serializer that likes block scalars ".repeat(3),
        ];
        for title in titles {
            let doc = file(
                "x.md",
                template(Section::Hypotheses, title, "2008-05-14", &tax),
            );
            let split = split_front_matter(&doc).unwrap();
            let mut f = Fields::parse("x.md", split.yaml, split.yaml_line).unwrap();
            assert_eq!(f.required::<String>("title").as_deref(), Some(title));
            // The title keeps to its own line, so the next key is on the third.
            assert!(
                doc.text.lines().nth(2).unwrap().starts_with("summary: "),
                "{}",
                doc.text
            );
        }
    }
}
