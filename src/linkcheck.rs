//! Checks every internal link of every body once all pages and their anchors are known.

use crate::diagnostic::Diagnostic;
use crate::markdown::Rendered;
use crate::suggest::did_you_mean;
use std::collections::{BTreeSet, HashMap};

/// A rendered body with the file it came from and the URL it is published at.
pub struct Page<'a> {
    pub path: &'a str,
    pub url: &'a str,
    pub body: &'a Rendered,
}

/// Checks the links of `sources`: a link must reach a source page (and one of its headings
/// or footnotes, if it names an anchor), a generated page, or a file the build writes.
pub fn check(
    sources: &[Page],
    generated: &BTreeSet<String>,
    files: &BTreeSet<String>,
) -> Vec<Diagnostic> {
    let by_url: HashMap<&str, &Page> = sources.iter().map(|p| (p.url, p)).collect();
    let mut diags = Vec::new();
    for page in sources {
        for link in &page.body.links {
            let target = if link.url.is_empty() {
                Some(page)
            } else {
                by_url.get(link.url.as_str()).copied()
            };
            let problem = match (target, &link.anchor) {
                (Some(t), Some(a)) if !has_anchor(t.body, a) => Some((
                    format!("broken anchor: `#{a}` is not a heading of {}", t.path),
                    did_you_mean(a, t.body.headings.iter().map(|h| h.id.as_str())),
                )),
                (Some(_), _) => None,
                (None, anchor) if generated.contains(&link.url) || files.contains(&link.url) => {
                    anchor.as_ref().map(|a| {
                        (
                            format!(
                                "anchor `#{a}` cannot be checked on the generated page `{}`",
                                link.url
                            ),
                            Some("link to the page without the anchor".to_string()),
                        )
                    })
                }
                (None, _) => Some((
                    format!("broken link: `{}` is not a page of this site", link.raw),
                    did_you_mean(
                        &link.url,
                        by_url
                            .keys()
                            .copied()
                            .chain(generated.iter().map(String::as_str)),
                    ),
                )),
            };
            if let Some((message, help)) = problem {
                diags.push(Diagnostic::at(page.path, link.pos, message).with_help(help));
            }
        }
    }
    diags
}

/// Headings are anchors, and so are footnote definitions (pulldown-cmark ids them by label).
fn has_anchor(body: &Rendered, anchor: &str) -> bool {
    body.headings.iter().any(|h| h.id == anchor) || body.html.contains(&format!("id=\"{anchor}\""))
}
