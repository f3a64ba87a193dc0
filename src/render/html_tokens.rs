//! One pass over raw HTML as html5ever's tokenizer reads it, without building a tree: time
//! linear in the input, so it can look at hostile markup before anything quadratic does.
//!
//! The tokenizer alone would read the inside of `<script>` or `<textarea>` as markup; the
//! tree builder is what switches it to raw text there, so this module does that switch
//! itself, and tags inside those elements are seen as the browser sees them: as text.

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, StartTag, Tag, TagToken, Token, TokenSink, TokenSinkResult, Tokenizer,
    TokenizerOpts,
};
use std::cell::{Cell, RefCell};
use std::ops::ControlFlow;

/// Calls `each` with every token of `html` and the byte offset just past the `>` that ended
/// it (the end of the input for text at the end), until `each` breaks or the input ends.
pub fn each_token_ending(html: &str, each: impl FnMut(Token, usize) -> ControlFlow<()>) {
    // Fed in pieces that end at each `>`: a tag is emitted when its `>` is read, so the end
    // of the piece being read is where the tag ends.
    run(html.split_inclusive('>'), each);
}

/// Calls `each` with every token of `html`: for a pass that needs no positions, which reads
/// the input in one piece, a third quicker.
pub fn each_token(html: &str, mut each: impl FnMut(Token)) {
    run(std::iter::once(html), |token, _| {
        each(token);
        ControlFlow::Continue(())
    });
}

fn run<'a>(
    pieces: impl Iterator<Item = &'a str>,
    each: impl FnMut(Token, usize) -> ControlFlow<()>,
) {
    let sink = Sink {
        each: RefCell::new(each),
        stopped: Cell::new(false),
        fed: Cell::new(0),
    };
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let input = BufferQueue::default();
    for piece in pieces {
        tokenizer
            .sink
            .fed
            .set(tokenizer.sink.fed.get() + piece.len());
        input.push_back(StrTendril::from_slice(piece));
        // The sink asks the tokenizer to pause (as for a script) only to stop.
        let _ = tokenizer.feed(&input);
        if tokenizer.sink.stopped.get() {
            return;
        }
    }
    tokenizer.end();
}

struct Sink<F> {
    each: RefCell<F>,
    stopped: Cell<bool>,
    /// How many bytes of the input have been given to the tokenizer.
    fed: Cell<usize>,
}

impl<F: FnMut(Token, usize) -> ControlFlow<()>> TokenSink for Sink<F> {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        if self.stopped.get() {
            return TokenSinkResult::Script(());
        }
        let raw = match &token {
            TagToken(tag) if tag.kind == StartTag && !tag.self_closing => raw_kind(tag),
            _ => None,
        };
        if (self.each.borrow_mut())(token, self.fed.get()).is_break() {
            self.stopped.set(true);
            return TokenSinkResult::Script(());
        }
        match raw {
            Some(Some(kind)) => TokenSinkResult::RawData(kind),
            Some(None) => TokenSinkResult::Plaintext,
            None => TokenSinkResult::Continue,
        }
    }
}

/// The elements whose content the HTML tree builder reads as text, and how:
/// `Some(None)` is `<plaintext>`, which runs to the end of the input.
fn raw_kind(tag: &Tag) -> Option<Option<RawKind>> {
    Some(Some(match &*tag.name {
        "title" | "textarea" => RawKind::Rcdata,
        "style" | "xmp" | "iframe" | "noembed" | "noframes" => RawKind::Rawtext,
        "script" => RawKind::ScriptData,
        "plaintext" => return Some(None),
        _ => return None,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(html: &str) -> Vec<String> {
        let mut out = Vec::new();
        each_token_ending(html, |t, end| {
            if let TagToken(tag) = t {
                out.push(format!("{end}:{}", tag.name));
            }
            ControlFlow::Continue(())
        });
        out
    }

    #[test]
    fn tags_inside_raw_text_elements_are_text() {
        assert_eq!(
            tags("<p>\n<textarea><b></textarea><script><i></script>\n<em x='>'>"),
            [
                "3:p",
                "14:textarea",
                "28:textarea",
                "36:script",
                "48:script",
                "59:em"
            ]
        );
    }

    #[test]
    fn breaking_stops_the_pass() {
        let mut seen = 0;
        each_token_ending(&"<div>".repeat(1000), |_, _| {
            seen += 1;
            if seen == 3 {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        });
        assert_eq!(seen, 3);
    }
}
