//! `ntg new`: a new document with every required key, valid as written (it is a draft, so
//! it cannot be published by accident), and the allowed values listed beside each key.

use crate::resolve::content::{EvidenceStatus, HypothesisStatus, Section, doc_slug};
use crate::resolve::taxonomy::{Kind, Taxonomies, Vocabulary};
use std::path::{Path, PathBuf};

/// Why `ntg new` could not write the document.
#[derive(Debug)]
pub enum NewError {
    /// Nothing of the title folds to an ASCII letter or digit to make a file name from
    /// (`names::slug`): emoji only, or a script without a Latin spelling.
    EmptySlug,
    Exists(PathBuf),
    Io(std::io::Error),
}

fn choices<K: Kind>(v: &Vocabulary<K>) -> String {
    let slugs: Vec<&str> = v.terms().iter().map(|t| t.slug.as_str()).collect();
    format!(
        "{}: [{}]  # one or more of: {}",
        K::KEY,
        slugs.first().copied().unwrap_or(""),
        slugs.join(", ")
    )
}

/// The front matter and body for a new document of `section` titled `title`.
pub fn template(section: Section, title: &str, date: &str, tax: &Taxonomies) -> String {
    // One line, quoted only where YAML needs it, however long the title.
    let one_line = serde_saphyr::ser_options! { prefer_block_scalars: false };
    let quoted = serde_saphyr::to_string_with_options(&title, one_line).unwrap_or_default();
    let mut fm = vec![format!("title: {}", quoted.trim_end())];
    fm.push("summary: \"One or two sentences for listings and search results (at most 400 characters).\"".into());
    if matches!(section, Section::CaseStudies | Section::Evidence) {
        fm.push(format!("date: {date}"));
    }
    fm.push("draft: true  # remove this line to publish".into());
    fm.push(choices(&tax.themes));
    fm.push(choices(&tax.groups));
    fm.push(choices(&tax.outcomes));
    let levels: Vec<String> = tax
        .evidence_levels
        .iter()
        .map(|l| format!("{} {}", l.level, l.name))
        .collect();
    let first_level = tax.evidence_levels.first().map_or(1, |l| l.level);
    let level = format!(
        "evidence_level: {first_level}  # one of: {}",
        levels.join(", ")
    );
    let body = match section {
        Section::CaseStudies => {
            fm.push("local_authorities: [E08000035]  # GSS codes or exact names from data/local-authorities.csv".into());
            fm.push(level);
            fm.push("supports: []  # slugs of hypotheses this practice supports".into());
            fm.push("challenges: []  # slugs of hypotheses it calls into question".into());
            "## The challenge\n\n## What they did\n\n## Evidence of impact\n\n## Lessons for other councils\n"
        }
        Section::Hypotheses => {
            let all: Vec<&str> = HypothesisStatus::ALL.iter().map(|s| s.as_str()).collect();
            fm.push(format!("status: proposed  # one of: {}", all.join(", ")));
            "## What we would expect to see\n\n## Evidence so far\n\n## How a council could test it\n"
        }
        Section::Evidence => {
            fm.push("organisation: \"Who submitted it\"".into());
            let all: Vec<&str> = EvidenceStatus::ALL.iter().map(|s| s.as_str()).collect();
            fm.push(format!("status: received  # one of: {}", all.join(", ")));
            fm.push(level);
            "## What the submission says\n\n## Evidence offered\n"
        }
        Section::Pages => "",
    };
    format!("---\n{}\n---\n\n{body}", fm.join("\n"))
}

/// Writes the new document under `root/content/`, never over an existing file.
pub fn write(
    root: &Path,
    section: Section,
    title: &str,
    date: &str,
    tax: &Taxonomies,
) -> Result<PathBuf, NewError> {
    let slug = doc_slug(title);
    if slug.is_empty() {
        return Err(NewError::EmptySlug);
    }
    let dir = root.join("content").join(section.dir());
    let path = dir.join(format!("{slug}.md"));
    if path.exists() {
        return Err(NewError::Exists(path));
    }
    std::fs::create_dir_all(&dir).map_err(NewError::Io)?;
    std::fs::write(&path, template(section, title, date, tax)).map_err(NewError::Io)?;
    Ok(path)
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
