//! Markdown bodies to HTML: heading ids with anchor links, highlighted code, internal links
//! rewritten to their target's URL (and recorded so they can be checked once every page's
//! anchors are known), and untrusted HTML sanitised.

use crate::diagnostic::{Diagnostic, LineIndex, Pos};
use crate::escape::escape;
use crate::names::hash::{ContentHash, Hasher, Memo};
use crate::names::heading_id;
use crate::render::nesting;
use crate::render::sanitise::{self, RawHtml, submission_id};
use crate::resolve::Failed;
use crate::resolve::content::Section;
use crate::resolve::site::Site;
use pulldown_cmark::{
    Alignment, CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd,
    html,
};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

/// What an internal link points at, as far as the markdown stage can tell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Target {
    /// `#anchor` alone.
    SamePage,
    /// A relative `.md` link, resolved to a site-root relative path: `content/hypotheses/x.md`.
    File(String),
    /// A site-root URL: `/themes/x/`.
    Url(String),
}

/// A link from one document to a page of the site, to be checked when all pages are known.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InternalLink {
    pub pos: Pos,
    /// As written, for the error message.
    pub raw: String,
    pub target: Target,
    pub anchor: Option<String>,
}

/// One heading of a rendered body, for anchors and tables of contents.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// A body rendered: its HTML, and what the link check and the page need to know of it.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Rendered {
    pub html: String,
    pub headings: Vec<Heading>,
    pub links: Vec<InternalLink>,
}

/// How the links of a body map to the site: which files are which pages.
pub struct Links<'a> {
    /// `content/hypotheses/x.md` to `/hypotheses/x/`, for every published document.
    pub by_path: &'a HashMap<String, String>,
    /// Turns a site path into an href (adds the base URL's sub-path).
    pub href: &'a (dyn Fn(&str) -> String + Sync),
}

/// Syntax definitions are loaded once per build, and only if some page has code.
#[derive(Default)]
pub struct Highlighter {
    syntaxes: OnceLock<SyntaxSet>,
}

impl Highlighter {
    fn highlight(&self, lang: &str, code: &str) -> String {
        let ss = self.syntaxes.get_or_init(SyntaxSet::load_defaults_newlines);
        let Some(syntax) = (!lang.is_empty())
            .then(|| ss.find_syntax_by_token(lang))
            .flatten()
        else {
            return escape(code);
        };
        let mut html = ClassedHTMLGenerator::new_with_class_style(
            syntax,
            ss,
            ClassStyle::SpacedPrefixed { prefix: "hl-" },
        );
        for line in LinesWithEndings::from(code) {
            if html
                .parse_html_for_line_which_includes_newline(line)
                .is_err()
            {
                return escape(code);
            }
        }
        html.finalize()
    }
}

/// A table's column alignments, as classes (an inline `style` would need the CSP to allow
/// inline styles), and which cell of which part of the table comes next.
#[derive(Default)]
struct Table {
    aligns: Vec<Alignment>,
    in_head: bool,
    column: usize,
}

impl Table {
    fn open_cell(&self) -> String {
        let tag = if self.in_head { "th" } else { "td" };
        let class = match self.aligns.get(self.column) {
            Some(Alignment::Left) => " class=\"align-left\"",
            Some(Alignment::Center) => " class=\"align-center\"",
            Some(Alignment::Right) => " class=\"align-right\"",
            _ => "",
        };
        format!("<{tag}{class}>")
    }

    fn close_cell(&mut self) -> &'static str {
        self.column += 1;
        if self.in_head { "</th>" } else { "</td>" }
    }
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
}

/// Every published document's body and the home page's introduction, rendered in parallel,
/// each once: what `memo` kept from the last build is reused when the document's text and
/// everything its links resolve against are unchanged. A body too deep to render is an
/// error, with an empty body in its place.
pub struct Bodies {
    /// One per document of `Site::docs`, in its order.
    pub docs: Vec<Rendered>,
    /// The home page's introduction (`content/_index.md`), empty if there is none.
    pub home: Rendered,
    /// One per document that failed to load, in its order: its body, where it has one, so
    /// that the body's links are checked although the page is not made.
    pub failed: Vec<Option<Rendered>>,
    /// Bodies that could not be rendered.
    pub errors: Vec<Diagnostic>,
}

/// Renders the bodies of `site` and of the documents that `failed` to load (see [`Bodies`]).
pub fn bodies(site: &Site, failed: &[Failed], memo: &dyn Memo<Rendered>) -> Bodies {
    let by_path: HashMap<String, String> = site
        .docs
        .iter()
        .map(|d| (d.path.clone(), d.url.clone()))
        .collect();
    let href = |p: &str| site.href(p);
    let links = Links {
        by_path: &by_path,
        href: &href,
    };
    // Everything a body's links resolve against: every document's path and address, and
    // the base URL.
    let mut against = Hasher::new();
    against.part(site.config.base_url.to_string().as_bytes());
    for d in &site.docs {
        against.part(d.path.as_bytes()).part(d.url.as_bytes());
    }
    let against = against.finish();
    let highlighter = Highlighter::default();
    let own = if site.config.trusted_raw_html {
        RawHtml::PassThrough
    } else {
        RawHtml::Safe
    };
    let one = |path: &str, text: &str, body_offset: usize, raw: RawHtml| {
        let key = body_key(against, path, text, body_offset, raw);
        if let Some(r) = memo.recall(key) {
            return Ok(r);
        }
        let r = render(path, text, body_offset, &links, &highlighter, raw)?;
        memo.keep(key, &r);
        Ok(r)
    };
    // A submission's raw HTML is someone else's, whatever the site's setting.
    let raw = |section: Option<Section>| {
        if section == Some(Section::Evidence) {
            RawHtml::Submission
        } else {
            own
        }
    };
    let rendered: Vec<Result<Rendered, Diagnostic>> = site
        .docs
        .par_iter()
        .map(|d| one(&d.path, &d.text, d.body_offset, raw(Some(d.section()))))
        .collect();
    let unread: Vec<Option<Result<Rendered, Diagnostic>>> = failed
        .par_iter()
        .map(|f| {
            let b = f.body.as_ref()?;
            Some(one(&f.path, &b.text, b.body_offset, raw(f.section)))
        })
        .collect();
    let home = site.home.as_ref().map_or(Ok(Rendered::default()), |h| {
        one(&h.path, &h.text, h.body_offset, own)
    });
    let mut errors = Vec::new();
    let mut keep = |r: Result<Rendered, Diagnostic>| {
        r.unwrap_or_else(|d| {
            errors.push(d);
            Rendered::default()
        })
    };
    let docs = rendered.into_iter().map(&mut keep).collect();
    let home = keep(home);
    let failed = unread.into_iter().map(|r| r.map(&mut keep)).collect();
    Bodies {
        docs,
        home,
        failed,
        errors,
    }
}

/// What a body is rendered from: its file's text and place, how its raw HTML is treated,
/// and what its links resolve against.
fn body_key(
    against: ContentHash,
    path: &str,
    text: &str,
    body_offset: usize,
    raw: RawHtml,
) -> ContentHash {
    let raw = match raw {
        RawHtml::PassThrough => b"pass",
        RawHtml::Safe => b"safe",
        RawHtml::Submission => b"subm",
    };
    let mut h = Hasher::new();
    h.part(b"markdown body")
        .part(&against.to_bytes())
        .part(raw)
        .part(path.as_bytes())
        .part(&(body_offset as u64).to_le_bytes())
        .part(text.as_bytes());
    h.finish()
}

/// Renders the body of the document at `path` (site-root relative, e.g.
/// `content/case-studies/x.md`) whose body starts at `body_offset` of `text`, its raw HTML
/// treated as `raw` says. A body nested deeper than [`nesting::MAX_DEPTH`] is an error,
/// found before anything is rendered.
pub fn render(
    path: &str,
    text: &str,
    body_offset: usize,
    links: &Links,
    highlighter: &Highlighter,
    raw: RawHtml,
) -> Result<Rendered, Diagnostic> {
    let body = &text[body_offset..];
    let lines = LineIndex::new(text);
    nesting::check(
        path,
        text,
        body_offset,
        &lines,
        Parser::new_ext(body, options()).into_offset_iter(),
    )?;
    let submission = raw == RawHtml::Submission;
    let mut out = Rendered::default();
    let mut table = Table::default();
    let mut ids = UniqueIds::new();
    let mut events: Vec<Event> = Vec::new();
    let mut heading: Option<(HeadingLevel, Option<String>, Vec<Event>)> = None;
    let mut code: Option<(String, String)> = None;

    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        let pos = || lines.pos(body_offset + range.start);
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                heading = Some((level, id.map(|s| s.to_string()), Vec::new()));
            }
            Event::End(TagEnd::Heading(_)) => {
                let (level, id, inner) = heading.take().expect("heading end follows its start");
                let text = plain_text(&inner);
                let base = id.unwrap_or_else(|| heading_id(&text));
                let id = ids.claim(if submission {
                    submission_id(&base).into_owned()
                } else {
                    base
                });
                let mut inner_html = String::new();
                html::push_html(&mut inner_html, inner.into_iter());
                let n = level as u8;
                let attr = escape(&id);
                events.push(Event::Html(CowStr::from(format!(
                    "<h{n} id=\"{attr}\">{inner_html} <a class=\"heading-anchor\" href=\"#{attr}\" aria-label=\"Link to this section\">#</a></h{n}>\n"
                ))));
                out.headings.push(Heading { level: n, id, text });
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split_whitespace().next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new()));
            }
            Event::Text(t) if code.is_some() => {
                code.as_mut().expect("inside a code block").1.push_str(&t);
            }
            Event::End(TagEnd::CodeBlock) => {
                let (lang, src) = code.take().expect("code end follows its start");
                let class = if lang.is_empty() {
                    String::new()
                } else {
                    format!(" data-lang=\"{}\"", escape(&lang))
                };
                events.push(Event::Html(CowStr::from(format!(
                    "<pre class=\"code\"{class}><code>{}</code></pre>\n",
                    highlighter.highlight(&lang, &src)
                ))));
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest = rewrite_link(
                    path,
                    &dest_url,
                    link_type,
                    links,
                    pos(),
                    submission,
                    &mut out.links,
                );
                push(
                    &mut heading,
                    &mut events,
                    Event::Start(Tag::Link {
                        link_type,
                        dest_url: dest.into(),
                        title,
                        id,
                    }),
                );
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest = if dest_url.starts_with('/') && !dest_url.starts_with("//") {
                    (links.href)(&dest_url)
                } else {
                    dest_url.to_string()
                };
                push(
                    &mut heading,
                    &mut events,
                    Event::Start(Tag::Image {
                        link_type,
                        dest_url: dest.into(),
                        title,
                        id,
                    }),
                );
            }
            Event::Start(Tag::Table(aligns)) => {
                table = Table {
                    aligns: aligns.clone(),
                    ..Table::default()
                };
                events.push(Event::Start(Tag::Table(aligns)));
            }
            Event::Start(Tag::TableHead) => {
                table.in_head = true;
                table.column = 0;
                events.push(Event::Start(Tag::TableHead));
            }
            Event::End(TagEnd::TableHead) => {
                table.in_head = false;
                events.push(Event::End(TagEnd::TableHead));
            }
            Event::Start(Tag::TableRow) => {
                table.column = 0;
                events.push(Event::Start(Tag::TableRow));
            }
            Event::Start(Tag::TableCell) => {
                events.push(Event::Html(table.open_cell().into()));
            }
            Event::End(TagEnd::TableCell) => {
                events.push(Event::Html(table.close_cell().into()));
            }
            // A checkbox is a form control, which submissions may not have; a done or open
            // mark says the same as text.
            Event::TaskListMarker(done) if submission => push(
                &mut heading,
                &mut events,
                Event::Text(if done { "☑ " } else { "☐ " }.into()),
            ),
            // A checkbox needs a name for a screen reader to say what it is (WCAG 4.1.2).
            Event::TaskListMarker(done) => push(
                &mut heading,
                &mut events,
                Event::InlineHtml(
                    if done {
                        "<input disabled=\"\" type=\"checkbox\" checked=\"\" aria-label=\"done\"> "
                    } else {
                        "<input disabled=\"\" type=\"checkbox\" aria-label=\"not done\"> "
                    }
                    .into(),
                ),
            ),
            other => push(&mut heading, &mut events, other),
        }
    }
    html::push_html(&mut out.html, events.into_iter());
    out.html = sanitise::clean(out.html, raw);
    Ok(out)
}

fn push<'a>(
    heading: &mut Option<(HeadingLevel, Option<String>, Vec<Event<'a>>)>,
    events: &mut Vec<Event<'a>>,
    e: Event<'a>,
) {
    match heading {
        Some((_, _, inner)) => inner.push(e),
        None => events.push(e),
    }
}

fn plain_text(events: &[Event]) -> String {
    let mut s = String::new();
    for e in events {
        if let Event::Text(t) | Event::Code(t) = e {
            s.push_str(t);
        }
    }
    s
}

/// Heading ids unique within a page: repeats, and the ids the theme's page uses itself,
/// get `-1`, `-2`, ...
struct UniqueIds {
    seen: BTreeMap<String, usize>,
}

impl UniqueIds {
    fn new() -> UniqueIds {
        UniqueIds {
            seen: BTreeMap::new(),
        }
    }

    fn claim(&mut self, base: String) -> String {
        let base = if base.is_empty() {
            "section".to_string()
        } else {
            base
        };
        let Some(&used) = self.seen.get(&base) else {
            if sanitise::is_theme_id(&base) {
                self.seen.insert(base.clone(), 0);
                return self.claim(base);
            }
            self.seen.insert(base.clone(), 0);
            return base;
        };
        let mut n = used;
        let candidate = loop {
            n += 1;
            let candidate = format!("{base}-{n}");
            if !self.seen.contains_key(&candidate) {
                break candidate;
            }
        };
        self.seen.insert(base, n);
        self.seen.insert(candidate.clone(), 0);
        candidate
    }
}

fn has_scheme(dest: &str) -> bool {
    let Some(colon) = dest.find(':') else {
        return false;
    };
    let scheme = &dest[..colon];
    !scheme.is_empty()
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// Resolves a link as written to the href it becomes, recording internal ones for checking.
fn rewrite_link(
    path: &str,
    dest: &str,
    link_type: LinkType,
    links: &Links,
    pos: Pos,
    submission: bool,
    found: &mut Vec<InternalLink>,
) -> String {
    if matches!(link_type, LinkType::Autolink | LinkType::Email)
        || has_scheme(dest)
        || dest.starts_with("//")
    {
        return dest.to_string();
    }
    let (target, anchor) = match dest.split_once('#') {
        // A submission's own ids are prefixed, so its links to them are too.
        Some(("", a)) if submission => ("", Some(submission_id(a).into_owned())),
        Some((t, a)) => (t, Some(a.to_string())),
        None => (dest, None),
    };
    let (target, href) = if target.is_empty() {
        (Target::SamePage, None)
    } else if target.starts_with('/') {
        let has_extension = target
            .rsplit('/')
            .next()
            .is_some_and(|last| last.contains('.'));
        let url = if target.ends_with('/') || has_extension {
            target.to_string()
        } else {
            format!("{target}/")
        };
        let href = (links.href)(&url);
        (Target::Url(url), Some(href))
    } else if target.ends_with(".md") {
        let file = join_relative(path, target);
        let href = links.by_path.get(&file).map(|url| (links.href)(url));
        (Target::File(file), href)
    } else {
        // A relative link to something else (an image beside the page, say) is left alone.
        return dest.to_string();
    };
    found.push(InternalLink {
        pos,
        raw: dest.to_string(),
        target,
        anchor: anchor.clone(),
    });
    match (href, anchor) {
        (Some(h), Some(a)) => format!("{h}#{a}"),
        (Some(h), None) => h,
        (None, _) => dest.to_string(),
    }
}

/// `content/case-studies/2008/a.md` + `../../hypotheses/x.md` = `content/hypotheses/x.md`.
fn join_relative(from: &str, rel: &str) -> String {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render_body(body: &str, untrusted: bool) -> Rendered {
        render_as(
            body,
            if untrusted {
                RawHtml::Submission
            } else {
                RawHtml::PassThrough
            },
        )
        .unwrap()
    }

    fn render_as(body: &str, raw: RawHtml) -> Result<Rendered, Diagnostic> {
        let by_path: HashMap<String, String> = [(
            "content/hypotheses/x.md".to_string(),
            "/hypotheses/x/".to_string(),
        )]
        .into();
        let href = |p: &str| format!("/sub{p}");
        let links = Links {
            by_path: &by_path,
            href: &href,
        };
        let text = format!("---\ntitle: t\n---\n{body}");
        render(
            "content/case-studies/a.md",
            &text,
            16,
            &links,
            &Highlighter::default(),
            raw,
        )
    }

    #[test]
    fn headings_get_unique_ids() {
        let r = render_body("## Evidence of impact\n\n## Evidence of impact\n", false);
        let ids: Vec<_> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["evidence-of-impact", "evidence-of-impact-1"]);
        assert!(r.html.contains("<h2 id=\"evidence-of-impact-1\">"));
    }

    #[test]
    fn headings_leave_the_pages_own_ids_alone() {
        let r = render_body("## Main content\n\n## Gap 1\n", false);
        let ids: Vec<_> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["main-content-1", "gap-1-1"]);
    }

    #[test]
    fn relative_and_root_links_are_rewritten_and_recorded() {
        let r = render_body(
            "[a](../hypotheses/x.md#why) [b](/themes/t) [c](https://x.org)\n",
            false,
        );
        assert!(r.html.contains("href=\"/sub/hypotheses/x/#why\""));
        assert!(r.html.contains("href=\"/sub/themes/t/\""));
        assert!(r.html.contains("href=\"https://x.org\""));
        assert_eq!(r.links.len(), 2);
        assert_eq!(r.links[0].pos, Pos::new(4, 1));
        assert_eq!(
            r.links[0].target,
            Target::File("content/hypotheses/x.md".into())
        );
        assert_eq!(r.links[0].anchor.as_deref(), Some("why"));
        assert_eq!(r.links[1].target, Target::Url("/themes/t/".into()));
    }

    #[test]
    fn a_missing_file_is_recorded_where_it_is_written() {
        let r = render_body("text\n\nsee [x](../hypotheses/y.md)\n", false);
        assert_eq!(r.links[0].pos, Pos::new(6, 5));
        assert_eq!(
            r.links[0].target,
            Target::File("content/hypotheses/y.md".into())
        );
        assert!(r.html.contains("href=\"../hypotheses/y.md\""));
    }

    #[test]
    fn code_is_highlighted_with_classes() {
        let r = render_body("```rust\nfn main() {}\n```\n", false);
        assert!(
            r.html.contains(
                "<pre class=\"code\" data-lang=\"rust\"><code><span class=\"hl-source hl-rust\">"
            ),
            "{}",
            r.html
        );
    }

    #[test]
    fn untrusted_html_is_sanitised() {
        let r = render_body(
            "<script>alert(1)</script>\n\n<p onclick=\"x()\">hi</p>\n\n[x](javascript:alert(1))\n",
            true,
        );
        assert!(!r.html.contains("script"));
        assert!(!r.html.contains("onclick"));
        assert!(!r.html.contains("javascript:"));
        assert!(r.html.contains("<p>hi</p>"));
    }

    #[test]
    fn fence_info_is_one_escaped_word() {
        let r = render_body("```x\"onmouseover=\"alert(1) more\nfn x\n```\n", false);
        assert!(
            r.html
                .contains("<pre class=\"code\" data-lang=\"x&quot;onmouseover=&quot;alert(1)\">"),
            "{}",
            r.html
        );
    }

    #[test]
    fn heading_ids_written_by_hand_are_escaped() {
        let r = render_body("## Hi {#a\"b}\n", false);
        assert!(r.html.contains("<h2 id=\"a&quot;b\">"), "{}", r.html);
    }

    #[test]
    fn table_alignment_is_a_class_not_a_style() {
        let r = render_body("| a | b |\n|:-:|--:|\n| 1 | 2 |\n", false);
        assert!(
            r.html
                .contains("<th class=\"align-center\">a</th><th class=\"align-right\">b</th>"),
            "{}",
            r.html
        );
        assert!(
            r.html
                .contains("<td class=\"align-center\">1</td><td class=\"align-right\">2</td>"),
            "{}",
            r.html
        );
        assert!(!r.html.contains("style"));
    }

    #[test]
    fn submissions_headings_and_their_links_share_the_prefix() {
        let r = render_body("## Main content\n\n[up](#main-content)\n", true);
        assert_eq!(r.headings[0].id, "submission-main-content");
        assert_eq!(
            r.links[0].anchor.as_deref(),
            Some("submission-main-content")
        );
        assert!(
            r.html.contains("<h2 id=\"submission-main-content\">"),
            "{}",
            r.html
        );
        assert!(
            r.html.contains("href=\"#submission-main-content\""),
            "{}",
            r.html
        );
    }

    #[test]
    fn raw_html_is_safe_by_default_and_kept_when_trusted() {
        let body = "<div onclick=\"x()\"><details><summary>s</summary>d</details></div>\n";
        let safe = render_as(body, RawHtml::Safe).unwrap().html;
        assert_eq!(
            safe,
            "<div><details><summary>s</summary>d</details></div>\n"
        );
        let kept = render_as(body, RawHtml::PassThrough).unwrap().html;
        assert_eq!(kept, body);
    }

    #[test]
    fn nesting_too_deep_is_an_error_not_a_page() {
        let d =
            render_as(&format!("{}x\n", "> ".repeat(100_000)), RawHtml::Submission).unwrap_err();
        assert_eq!(d.pos, Some(Pos::new(4, 2 * 64 + 1)));
    }
}
