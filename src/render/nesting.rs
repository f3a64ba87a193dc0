//! How deep a body nests, measured before it is rendered or sanitised: markdown lists and
//! block quotes, and raw HTML elements, each at most [`MAX_DEPTH`] deep. Deeper input is a
//! diagnostic at the first item too deep, found in one pass that stops there, because the
//! HTML parser behind the sanitiser takes time quadratic in the depth of what it is given.

use crate::diagnostic::{Code, Diagnostic, LineIndex};
use crate::render::html_tokens::each_token_ending;
use html5ever::tokenizer::{EndTag, StartTag, TagToken};
use pulldown_cmark::{Event, Tag, TagEnd};
use std::ops::{ControlFlow, Range};

/// The deepest nesting allowed of markdown lists and block quotes together, and separately of
/// raw HTML elements.
pub const MAX_DEPTH: usize = 64;

/// Checks the events of the body that starts at `body_offset` of `text` (the file at `path`).
pub fn check<'a>(
    path: &str,
    text: &str,
    body_offset: usize,
    lines: &LineIndex,
    events: impl Iterator<Item = (Event<'a>, Range<usize>)>,
) -> Result<(), Diagnostic> {
    let body = &text[body_offset..];
    let mut blocks = 0usize;
    let mut html = OpenElements::default();
    for (event, range) in events {
        match event {
            Event::Start(Tag::List(_) | Tag::BlockQuote(_)) => {
                blocks += 1;
                if blocks > MAX_DEPTH {
                    let pos = lines.pos(body_offset + range.start);
                    return Err(Diagnostic::at(
                        Code::NestingTooDeep,
                        path,
                        pos,
                        format!(
                            "lists and block quotes are nested more than {MAX_DEPTH} deep here"
                        ),
                    )
                    .with_help(Some(format!(
                        "nest lists and quotes at most {MAX_DEPTH} levels deep"
                    ))));
                }
            }
            Event::End(TagEnd::List(_) | TagEnd::BlockQuote(_)) => blocks -= 1,
            Event::Html(raw) | Event::InlineHtml(raw) => {
                if let Some((at, name)) = html.read(&raw) {
                    // `at` is the end of the tag; the diagnostic points at its `<`.
                    let end = range.start + at;
                    let start = body[..end].rfind('<').unwrap_or(range.start);
                    return Err(Diagnostic::at(
                        Code::NestingTooDeep,
                        path,
                        lines.pos(body_offset + start),
                        format!("raw HTML is nested more than {MAX_DEPTH} elements deep here, at `<{name}>`"),
                    )
                    .with_help(Some(format!(
                        "close elements sooner: raw HTML may nest at most {MAX_DEPTH} elements deep"
                    ))));
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// The raw HTML elements open so far, counted as the HTML parser would count them or more,
/// so a body that passes cannot build a much deeper tree (the parser's own `<tbody>` and
/// `<tr>` in tables, and a `<div>` that leaves an `<svg>`, at most double it).
#[derive(Default)]
struct OpenElements {
    stack: Vec<String>,
}

impl OpenElements {
    /// Reads one piece of raw HTML; returns where (the end of the tag, in `raw`) and which
    /// element first goes deeper than the limit.
    fn read(&mut self, raw: &str) -> Option<(usize, String)> {
        let mut found = None;
        each_token_ending(raw, |token, end| {
            let TagToken(tag) = token else {
                return ControlFlow::Continue(());
            };
            let name = tag.name.to_string();
            match tag.kind {
                StartTag => {
                    // `/>` closes an element only inside SVG or MathML, and only one that
                    // does not take the parser back to HTML.
                    let foreign = self.stack.iter().any(|e| e == "svg" || e == "math");
                    if is_void(&name) || (tag.self_closing && foreign && !leaves_foreign(&name)) {
                        return ControlFlow::Continue(());
                    }
                    // A second `<li>`, `<p>`, `<td>`... closes the first.
                    if self
                        .stack
                        .last()
                        .is_some_and(|top| closes(&name, top) && is_implied_end(top))
                    {
                        self.stack.pop();
                    }
                    self.stack.push(name);
                    if self.stack.len() > MAX_DEPTH {
                        found = Some((end, tag.name.to_string()));
                        return ControlFlow::Break(());
                    }
                }
                EndTag => {
                    // The parser closes elements whose end tags may be left out, and then
                    // the element named, if it is the one now open.
                    let mut depth = self.stack.len();
                    while depth > 0 && self.stack[depth - 1] != name {
                        if !is_implied_end(&self.stack[depth - 1]) {
                            break;
                        }
                        depth -= 1;
                    }
                    if depth > 0 && self.stack[depth - 1] == name {
                        self.stack.truncate(depth - 1);
                    }
                }
            }
            ControlFlow::Continue(())
        });
        found
    }
}

/// Elements that never have content.
fn is_void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
    )
}

/// HTML elements that end SVG or MathML content where they start, and so open as HTML.
fn leaves_foreign(name: &str) -> bool {
    matches!(
        name,
        "b" | "big"
            | "blockquote"
            | "body"
            | "br"
            | "center"
            | "code"
            | "dd"
            | "div"
            | "dl"
            | "dt"
            | "em"
            | "embed"
            | "font"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "head"
            | "hr"
            | "i"
            | "img"
            | "li"
            | "listing"
            | "menu"
            | "meta"
            | "nobr"
            | "ol"
            | "p"
            | "pre"
            | "ruby"
            | "s"
            | "small"
            | "span"
            | "strike"
            | "strong"
            | "sub"
            | "sup"
            | "table"
            | "tt"
            | "u"
            | "ul"
            | "var"
    )
}

/// Elements whose end tag may be left out, closed by the parser when what follows needs it.
fn is_implied_end(name: &str) -> bool {
    matches!(
        name,
        "p" | "li"
            | "dt"
            | "dd"
            | "option"
            | "optgroup"
            | "rb"
            | "rp"
            | "rt"
            | "rtc"
            | "tr"
            | "td"
            | "th"
    )
}

/// Whether a start tag `name` closes an open `top` of the same kind.
fn closes(name: &str, top: &str) -> bool {
    name == top
        || matches!(
            (name, top),
            ("dt" | "dd", "dt" | "dd") | ("td" | "th", "td" | "th")
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::Parser;

    fn check_body(body: &str) -> Result<(), Diagnostic> {
        let lines = LineIndex::new(body);
        check(
            "x.md",
            body,
            0,
            &lines,
            Parser::new(body).into_offset_iter(),
        )
    }

    #[test]
    fn the_limit_itself_is_allowed() {
        assert!(check_body(&format!("{}x\n", "- ".repeat(MAX_DEPTH))).is_ok());
        assert!(check_body(&format!("{}x\n", "> ".repeat(MAX_DEPTH))).is_ok());
        assert!(check_body(&"<div>\n".repeat(MAX_DEPTH)).is_ok());
    }

    #[test]
    fn one_more_is_reported_where_it_starts() {
        let d = check_body(&format!("text\n\n{}x\n", "- > ".repeat(33))).unwrap_err();
        assert_eq!(d.pos, Some(crate::diagnostic::Pos::new(3, 4 * 32 + 1)));
        let d = check_body(&format!("text\n\n{}\n", "<div>".repeat(65))).unwrap_err();
        assert_eq!(d.pos, Some(crate::diagnostic::Pos::new(3, 5 * 64 + 1)));
    }

    #[test]
    fn closed_and_self_closing_elements_do_not_add_up() {
        let flat = "<p>a<p>b<ul><li>x<li>y</ul><br><img src=x></p>\n".repeat(100);
        assert!(check_body(&flat).is_ok());
        let closed = "<div><span>x</span></div>\n".repeat(100);
        assert!(check_body(&closed).is_ok());
        let svg = format!("<svg>{}</svg>\n", "<path d=\"M0 0\"/>".repeat(100));
        assert!(check_body(&svg).is_ok());
        // Outside SVG, `<div/>` opens a div, as browsers read it; inside, it leaves the SVG
        // and opens a div all the same.
        assert!(check_body(&"<div/>".repeat(65)).is_err());
        assert!(check_body(&"<svg><div/></svg>".repeat(65)).is_err());
    }
}
