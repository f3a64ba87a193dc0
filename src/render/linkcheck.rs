//! Checks every internal link of every body once all pages and their anchors are known: the
//! one place that decides whether a link is good, broken, or points at something unpublished.

use crate::diagnostic::{Code, Diagnostic};
use crate::render::markdown::{Rendered, Target};
use crate::resolve::site::Site;
use crate::suggest::nearest;
use std::collections::{BTreeSet, HashMap};

/// A rendered body with the file it came from and the URL it is published at.
pub struct Page<'a> {
    pub path: &'a str,
    pub url: &'a str,
    pub body: &'a Rendered,
}

/// Everything a link may lawfully point at, besides the pages being checked.
pub struct Known<'a> {
    pub site: &'a Site,
    /// Generated pages (listings, terms, local authorities) and files (feeds, static).
    pub generated: &'a BTreeSet<String>,
    /// Paths and likely URLs of documents that failed to load: links to them are not
    /// reported again, since the document's own error is.
    pub failed: &'a [crate::resolve::Failed],
}

#[derive(Clone, Copy)]
enum Resolved<'p, 'a> {
    Page(&'p Page<'a>),
    Generated,
    Unpublished(&'static str),
    Failed,
    Missing,
}

/// Checks the links of `pages`.
pub fn check<'p, 'a>(pages: &'p [Page<'a>], known: &Known) -> Vec<Diagnostic> {
    let by_url: HashMap<&str, &'p Page<'a>> = pages.iter().map(|p| (p.url, p)).collect();
    let by_path: HashMap<&str, &'p Page<'a>> = pages.iter().map(|p| (p.path, p)).collect();
    // Documents that are not pages of this build, by path and by URL.
    let mut elsewhere: HashMap<&str, Resolved> = HashMap::new();
    for f in known.failed {
        elsewhere.insert(&f.path, Resolved::Failed);
        elsewhere.insert(&f.url, Resolved::Failed);
    }
    for w in &known.site.unpublished {
        elsewhere.insert(&w.doc.path, Resolved::Unpublished(w.why));
        elsewhere.insert(&w.doc.url, Resolved::Unpublished(w.why));
    }
    let resolve = |page: &'p Page<'a>, target: &Target| -> Resolved<'p, 'a> {
        let (found, key) = match target {
            Target::SamePage => return Resolved::Page(page),
            Target::File(path) => (by_path.get(path.as_str()), path),
            Target::Url(url) if known.generated.contains(url) => return Resolved::Generated,
            Target::Url(url) => (by_url.get(url.as_str()), url),
        };
        match found {
            Some(p) => Resolved::Page(p),
            None => elsewhere
                .get(key.as_str())
                .copied()
                .unwrap_or(Resolved::Missing),
        }
    };
    let mut diags = Vec::new();
    for page in pages {
        for link in &page.body.links {
            let (code, message, help) = match (resolve(page, &link.target), &link.anchor) {
                (Resolved::Page(t), Some(a)) if !has_anchor(t.body, a) => (
                    Code::BrokenAnchor,
                    format!("broken anchor: `#{a}` is not a heading of {}", t.path),
                    nearest(a, t.body.headings.iter().map(|h| h.id.as_str()))
                        .map(|n| format!("did you mean `#{n}`?")),
                ),
                (Resolved::Page(_) | Resolved::Failed, _) | (Resolved::Generated, None) => continue,
                (Resolved::Generated, Some(a)) => (
                    Code::UncheckableAnchor,
                    format!(
                        "anchor `#{a}` cannot be checked on the generated page `{}`",
                        link.raw.split('#').next().unwrap_or("")
                    ),
                    Some("link to the page without the anchor".to_string()),
                ),
                (Resolved::Unpublished(why), _) => (
                    Code::UnpublishedLink,
                    format!("link to `{}`, which is not published ({why})", link.raw),
                    None,
                ),
                (Resolved::Missing, _) => {
                    let what = if matches!(link.target, Target::Url(_)) {
                        "is not a page of this site"
                    } else {
                        "does not exist"
                    };
                    (
                        Code::BrokenLink,
                        format!("broken link: `{}` {what}", link.raw),
                        suggestion(page, &link.target, &by_path, &by_url, known),
                    )
                }
            };
            diags.push(Diagnostic::at(code, page.path, link.pos, message).with_help(help));
        }
    }
    diags
}

/// The nearest real target, written the way the link was: a relative path for a file link,
/// a URL for a URL link. Only names that are close count, not shared folders.
fn suggestion(
    page: &Page,
    target: &Target,
    by_path: &HashMap<&str, &Page>,
    by_url: &HashMap<&str, &Page>,
    known: &Known,
) -> Option<String> {
    match target {
        Target::SamePage => None,
        Target::File(path) => {
            let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
            let same_dir = by_path
                .keys()
                .filter(|p| p.rsplit_once('/').is_some_and(|(d, _)| d == dir));
            let close = nearest(
                name,
                same_dir.map(|p| p.rsplit_once('/').map_or(*p, |(_, n)| n)),
            )?;
            Some(format!(
                "did you mean `{}`?",
                relative(page.path, &format!("{dir}/{close}"))
            ))
        }
        Target::Url(url) => {
            let (dir, name) = url
                .trim_end_matches('/')
                .rsplit_once('/')
                .unwrap_or(("", url));
            let candidates = by_url
                .keys()
                .copied()
                .chain(known.generated.iter().map(String::as_str));
            let siblings: Vec<&str> = candidates
                .filter(|u| {
                    u.trim_end_matches('/')
                        .rsplit_once('/')
                        .is_some_and(|(d, _)| d == dir)
                })
                .collect();
            let names = siblings.iter().map(|u| {
                u.trim_end_matches('/')
                    .rsplit_once('/')
                    .map_or(*u, |(_, n)| n)
            });
            let close = nearest(name, names)?;
            siblings
                .into_iter()
                .find(|u| u.trim_end_matches('/').ends_with(&format!("/{close}")))
                .map(|u| format!("did you mean `{u}`?"))
        }
    }
}

/// `to` (site-root relative) as a path relative to the folder of `from`.
fn relative(from: &str, to: &str) -> String {
    let from_dir: Vec<&str> =
        from.split('/').collect::<Vec<_>>()[..from.split('/').count() - 1].to_vec();
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dir
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let ups = std::iter::repeat_n("..", from_dir.len() - common);
    ups.chain(to_parts[common..].iter().copied())
        .collect::<Vec<_>>()
        .join("/")
}

/// Headings are anchors, and so are footnote definitions (pulldown-cmark ids them by label).
fn has_anchor(body: &Rendered, anchor: &str) -> bool {
    body.headings.iter().any(|h| h.id == anchor) || body.html.contains(&format!("id=\"{anchor}\""))
}

#[cfg(test)]
mod tests {
    use super::relative;

    #[test]
    fn relative_paths_between_content_files() {
        assert_eq!(
            relative("content/case-studies/a.md", "content/hypotheses/x.md"),
            "../hypotheses/x.md"
        );
        assert_eq!(
            relative(
                "content/case-studies/2008/a.md",
                "content/case-studies/b.md"
            ),
            "../b.md"
        );
        assert_eq!(
            relative("content/_index.md", "content/pages/about.md"),
            "pages/about.md"
        );
    }
}
