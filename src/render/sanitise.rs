//! What of a body's HTML reaches the page. The team's own documents keep a safe set of
//! elements (tables, `<details>`, `<abbr>`, `<sup>`, `<figure>`...) unless `site.yaml` trusts
//! their raw HTML, and what would load from another host becomes a link to it; submissions,
//! written outside the team, keep the same and also lose their form controls and any id that
//! could take one of the page's own.

use crate::escape::push_escaped;
use crate::render::html_tokens::each_token;
use html5ever::tokenizer::{CharacterTokens, StartTag, Tag, TagToken};
use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::{Mutex, OnceLock};

/// Every id in a submission starts with this, so none can be one the page uses.
pub const SUBMISSION_ID_PREFIX: &str = "submission-";

/// Ids the default theme gives elements of a document's page (`gap-` ones are made per
/// indicator); a body's own may not take them.
pub fn is_theme_id(id: &str) -> bool {
    matches!(
        id,
        "main-content" | "site-search-q" | "contents-heading" | "evidence-heading" | "gaps-heading"
    ) || id.starts_with("gap-")
}

/// A submission's id as it appears on the page: under [`SUBMISSION_ID_PREFIX`], once.
pub fn submission_id(id: &str) -> Cow<'_, str> {
    if id.starts_with(SUBMISSION_ID_PREFIX) {
        Cow::Borrowed(id)
    } else {
        Cow::Owned(format!("{SUBMISSION_ID_PREFIX}{id}"))
    }
}

/// How a document's raw HTML reaches its page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RawHtml {
    /// As written: the team's own documents when `site.yaml` sets `trusted_raw_html: true`.
    PassThrough,
    /// The safe set, resources from other hosts as links: the team's own documents by
    /// default.
    Safe,
    /// The same, and no form controls, ids prefixed: submissions, whatever the site's
    /// settings.
    Submission,
}

/// Cleans a rendered body as `mode` says.
pub fn clean(html: String, mode: RawHtml) -> String {
    match mode {
        RawHtml::PassThrough => html,
        RawHtml::Safe => {
            static SAFE: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
            SAFE.get_or_init(|| {
                let mut b = ammonia::Builder::default();
                safe_set(&mut b);
                // Task lists' checkboxes, which submissions show as marks instead; the
                // rewriting has dropped every other input.
                b.add_tags(["input"])
                    .add_tag_attributes("input", ["type", "checked", "disabled", "aria-label"])
                    .attribute_filter(|_, attribute, value| match attribute {
                        "id" if is_theme_id(value) => None,
                        _ => local_resources(attribute, value),
                    });
                b
            })
            .clean(&foreign_resources_as_links(&html))
            .to_string()
        }
        RawHtml::Submission => submission(&html),
    }
}

/// The elements and attributes any sanitised body may keep: ammonia's defaults (no script,
/// no style, no event handlers, no frames), what ntg's own markup needs, and only the URL
/// schemes a reader would follow.
fn safe_set(b: &mut ammonia::Builder<'static>) {
    b.add_tags(["section", "tfoot"])
        .add_generic_attributes(["id", "class"])
        .add_tag_attributes("a", ["aria-label"])
        .add_tag_attributes("pre", ["data-lang"])
        .add_tag_attributes("details", ["open"])
        .add_tag_attributes("time", ["datetime"])
        .add_clean_content_tags([
            "select", "textarea", "button", "datalist", "iframe", "noembed", "noframes",
        ])
        .url_schemes(HashSet::from(["http", "https", "mailto", "tel"]));
}

/// A submission's HTML: resources from other hosts first become links, then the safe set
/// applies with ids prefixed, repeated ids dropped and same-page links following their ids.
fn submission(html: &str) -> String {
    let linked = foreign_resources_as_links(html);
    let seen = Mutex::new(HashSet::<String>::new());
    let mut b = ammonia::Builder::default();
    safe_set(&mut b);
    b.id_prefix(Some(SUBMISSION_ID_PREFIX))
        .link_rel(Some("nofollow noopener noreferrer"))
        .attribute_filter(move |_element, attribute, value| match attribute {
            // Ids arrive prefixed; a second element with the same id loses it.
            "id" => seen
                .lock()
                .map_or(true, |mut s| s.insert(value.to_string()))
                .then_some(Cow::Borrowed(value)),
            "href" => match value.strip_prefix('#') {
                Some(id) if !id.starts_with(SUBMISSION_ID_PREFIX) => {
                    Some(Cow::Owned(format!("#{}", submission_id(id))))
                }
                _ => Some(Cow::Borrowed(value)),
            },
            _ => local_resources(attribute, value),
        });
    b.clean(&linked).to_string()
}

/// Keeps an attribute unless it loads something from another host: whatever got past the
/// rewriting still loads nothing from elsewhere.
fn local_resources<'v>(attribute: &str, value: &'v str) -> Option<Cow<'v, str>> {
    resource_urls(attribute, value)
        .all(is_local)
        .then_some(Cow::Borrowed(value))
}

/// Elements that load what their attributes point at.
const EMBEDS: &[&str] = &[
    "img", "video", "audio", "source", "track", "iframe", "object", "embed",
];

/// Rewrites every embedded resource that points at another host as a plain link to it, with
/// its alternative text (or the address) as the link's text, and drops every `<input>` but
/// a task list's disabled checkbox.
fn foreign_resources_as_links(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    each_token(html, |token| {
        match token {
            TagToken(tag)
                if &*tag.name == "input"
                    && !(attr(&tag, "type") == Some("checkbox")
                        && attr(&tag, "disabled").is_some()) => {}
            TagToken(tag) => {
                let foreign: Vec<String> = if tag.kind == StartTag && EMBEDS.contains(&&*tag.name) {
                    tag.attrs
                        .iter()
                        .flat_map(|a| resource_urls(&a.name.local, &a.value))
                        .filter(|u| !is_local(u))
                        .map(str::to_string)
                        .collect()
                } else {
                    Vec::new()
                };
                if foreign.is_empty() {
                    write_tag(&mut out, &tag);
                } else {
                    let text = attr(&tag, "alt").or_else(|| attr(&tag, "title"));
                    for url in &foreign {
                        out.push_str("<a href=\"");
                        push_escaped(&mut out, url);
                        out.push_str("\">");
                        push_escaped(&mut out, text.filter(|t| !t.is_empty()).unwrap_or(url));
                        out.push_str("</a> ");
                    }
                }
            }
            CharacterTokens(text) => push_escaped(&mut out, &text),
            // Comments, doctypes and parse errors: nothing a page needs.
            _ => {}
        }
    });
    out
}

fn attr<'t>(tag: &'t Tag, name: &str) -> Option<&'t str> {
    tag.attrs
        .iter()
        .find(|a| &*a.name.local == name)
        .map(|a| &*a.value)
}

/// The URLs an attribute makes the browser fetch: all of a `srcset`'s candidates, the whole
/// value of the others; none for attributes that fetch nothing.
fn resource_urls<'v>(attribute: &str, value: &'v str) -> Box<dyn Iterator<Item = &'v str> + 'v> {
    match attribute {
        "srcset" => Box::new(
            value
                .split(',')
                .filter_map(|candidate| candidate.split_whitespace().next()),
        ),
        "src" | "poster" | "data" => Box::new(std::iter::once(value)),
        _ => Box::new(std::iter::empty()),
    }
}

/// Whether a URL stays on this site: no scheme and no host, read as browsers read it (which
/// ignore tabs and newlines, trim spaces, and take `\` for `/`).
fn is_local(url: &str) -> bool {
    let u: String = url
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .map(|c| if c == '\\' { '/' } else { c })
        .collect();
    if u.starts_with("//") {
        return false;
    }
    // A colon before any `/`, `?` or `#` ends a scheme.
    u.find([':', '/', '?', '#'])
        .is_none_or(|i| u.as_bytes()[i] != b':')
}

fn write_tag(out: &mut String, tag: &Tag) {
    out.push('<');
    if tag.kind != StartTag {
        out.push('/');
    }
    out.push_str(&tag.name);
    if tag.kind == StartTag {
        for a in &tag.attrs {
            out.push(' ');
            out.push_str(&a.name.local);
            out.push_str("=\"");
            push_escaped(out, &a.value);
            out.push('"');
        }
        if tag.self_closing {
            out.push_str(" /");
        }
    }
    out.push('>');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_that_leave_the_site() {
        for url in [
            "https://t.example/p.gif",
            "//t.example/p.gif",
            " \\\\t.example/p.gif",
            "/\\t.example",
            "ht\ntp://t.example",
            "data:image/png;base64,AAAA",
        ] {
            assert!(!is_local(url), "{url}");
        }
        for url in ["/static/a.png", "a.png", "../b/c.png?x=1:2", "#top"] {
            assert!(is_local(url), "{url}");
        }
    }

    #[test]
    fn foreign_images_become_links_and_local_ones_stay() {
        let html = clean(
            r#"<p><img src="https://t.example/p.gif" alt="Our logo"><img src="/logo.png" alt="ours"></p><iframe src="//t.example/x"></iframe><picture><source srcset="/a.png 1x, https://t.example/b.png 2x"></picture>"#.into(),
            RawHtml::Submission,
        );
        assert_eq!(
            html,
            r#"<p><a href="https://t.example/p.gif" rel="nofollow noopener noreferrer">Our logo</a> <img src="/logo.png" alt="ours"></p><a href="//t.example/x" rel="nofollow noopener noreferrer">//t.example/x</a> <a href="https://t.example/b.png" rel="nofollow noopener noreferrer">https://t.example/b.png</a> "#
        );
    }

    #[test]
    fn submissions_lose_form_controls_and_keep_their_ids_to_themselves() {
        let html = clean(
            r##"<form action="https://t.example"><input type=password name=pw><select><option>a</select><button>Send</button></form><p id="main-content">x</p><p id="main-content">y</p><a href="#main-content">z</a>"##.into(),
            RawHtml::Submission,
        );
        assert_eq!(
            html,
            r##"<p id="submission-main-content">x</p><p>y</p><a href="#submission-main-content" rel="nofollow noopener noreferrer">z</a>"##
        );
    }

    #[test]
    fn the_safe_set_keeps_structure_and_drops_what_runs() {
        let html = clean(
            r#"<details open><summary>More</summary><table><tr><td style="color:red" onclick="x()">1</td></tr></table></details><abbr title="Local authority">LA</abbr><sup>2</sup><kbd>k</kbd><a href="javascript:alert(1)">j</a><img src="data:image/png;base64,AA"><script>alert(1)</script>"#.into(),
            RawHtml::Safe,
        );
        assert_eq!(
            html,
            r#"<details open=""><summary>More</summary><table><tbody><tr><td>1</td></tr></tbody></table></details><abbr title="Local authority">LA</abbr><sup>2</sup><kbd>k</kbd><a rel="noopener noreferrer">j</a><a rel="noopener noreferrer">data:image/png;base64,AA</a> "#
        );
    }
}
