//! The spine chart of a council's gaps (the Fingertips convention), drawn a row at a time so
//! that each spine stands in its indicator's row of the at-a-glance table: the range and middle
//! half of every council's gap that year, England, the statistical neighbours' median and the
//! council itself, each indicator on its own scale. Marks differ by shape, not colour alone.
//! The spines hold no text, so nothing in them shrinks below a readable size on a phone; the
//! key beside the table is HTML, drawn with the same marks.

use crate::escape::escape;
use crate::resolve::data::gaps::Spread;
use serde::Serialize;
use std::fmt::Write;

/// A spine's viewBox, in CSS pixels as the stylesheet draws it.
const WIDTH: f64 = 144.0;
const HEIGHT: f64 = 24.0;
/// Room kept at each end of a spine for the marks' half-widths.
const PAD: f64 = 7.0;
/// The marks' half-width.
const R: f64 = 6.0;

/// One indicator's spine.
pub struct SpineRow<'a> {
    pub label: &'a str,
    pub place: &'a str,
    pub own: f64,
    pub england: Option<f64>,
    pub median: Option<f64>,
    pub spread: Spread,
    pub decimals: u8,
}

/// One entry of the key: a mark and what it stands for.
#[derive(Debug, Serialize)]
pub struct KeyItem {
    pub mark: String,
    pub text: String,
}

// Each mark takes further attributes (`extra`): on a spine, the value it stands for, so that
// tests (and curious readers of the source) can check where it is drawn.

fn own(cx: f64, cy: f64, extra: &str) -> String {
    format!(r#"<circle class="spine-own" cx="{cx:.2}" cy="{cy:.1}" r="{R}"{extra}/>"#)
}

fn median(cx: f64, cy: f64, extra: &str) -> String {
    format!(
        r#"<polygon class="spine-median" points="{:.2},{cy:.1} {cx:.2},{:.1} {:.2},{cy:.1} {cx:.2},{:.1}" data-x="{cx:.2}"{extra}/>"#,
        cx - R,
        cy - R,
        cx + R,
        cy + R
    )
}

fn england(x: f64, cy: f64, extra: &str) -> String {
    format!(
        r#"<line class="spine-england" x1="{x:.2}" x2="{x:.2}" y1="{:.1}" y2="{:.1}"{extra}/>"#,
        cy - HEIGHT / 2.0,
        cy + HEIGHT / 2.0
    )
}

fn bar(class: &str, x: f64, width: f64, extra: &str) -> String {
    format!(
        r#"<rect class="{class}" x="{x:.2}" y="{:.1}" width="{width:.2}" height="{:.1}"{extra}/>"#,
        HEIGHT / 2.0 - 8.0,
        16.0
    )
}

/// The key's marks, each in a small SVG of its own that assistive technology skips, since the
/// text beside it says the same.
pub fn key(place: &str) -> Vec<KeyItem> {
    let c = HEIGHT / 2.0;
    let marks = [
        (own(c, c, ""), place.to_string()),
        (median(c, c, ""), "neighbours' median".to_string()),
        (england(c, c, ""), "England".to_string()),
        (
            bar("spine-middle", 2.0, 20.0, ""),
            "middle half of councils".to_string(),
        ),
        (
            bar("spine-range", 2.0, 20.0, ""),
            "range of councils".to_string(),
        ),
    ];
    marks
        .into_iter()
        .map(|(mark, text)| KeyItem {
            mark: format!(
                r#"<svg class="spine-mark" viewBox="0 0 {HEIGHT} {HEIGHT}" aria-hidden="true" focusable="false" xmlns="http://www.w3.org/2000/svg">{mark}</svg>"#
            ),
            text,
        })
        .collect()
}

impl SpineRow<'_> {
    fn figure(&self, x: f64) -> String {
        format!("{x:.*}", usize::from(self.decimals))
    }

    /// The row in words: the spine's text alternative, and its tooltip.
    fn sentence(&self) -> String {
        let mut s = format!("{}: {} {}", self.label, self.place, self.figure(self.own));
        if let Some(e) = self.england {
            let _ = write!(s, ", England {}", self.figure(e));
        }
        if let Some(m) = self.median {
            let _ = write!(s, ", neighbours' median {}", self.figure(m));
        }
        let sp = &self.spread;
        let _ = write!(
            s,
            "; {} councils from {} to {}, the middle half from {} to {}.",
            sp.count,
            self.figure(sp.min),
            self.figure(sp.max),
            self.figure(sp.q1),
            self.figure(sp.q3)
        );
        s
    }

    /// The lowest and highest values the row draws, so no mark falls off its spine.
    fn bounds(&self) -> (f64, f64) {
        [self.england, self.median, Some(self.own)]
            .into_iter()
            .flatten()
            .fold((self.spread.min, self.spread.max), |(lo, hi), v| {
                (lo.min(v), hi.max(v))
            })
    }

    /// The spine as an image whose name (and tooltip) is the row in words.
    pub fn svg(&self) -> String {
        let (lo, hi) = self.bounds();
        let span = if hi > lo { hi - lo } else { 1.0 };
        let x = |v: f64| PAD + (WIDTH - 2.0 * PAD) * (v - lo) / span;
        let cy = HEIGHT / 2.0;
        let sp = &self.spread;
        let mut body = String::new();
        for (class, from, to) in [
            ("spine-range", sp.min, sp.max),
            ("spine-middle", sp.q1, sp.q3),
        ] {
            body.push_str(&bar(
                class,
                x(from),
                x(to) - x(from),
                &format!(r#" data-from="{from}" data-to="{to}""#),
            ));
        }
        let value = |v: f64| format!(r#" data-value="{v}""#);
        if let Some(e) = self.england {
            body.push_str(&england(x(e), cy, &value(e)));
        }
        if let Some(m) = self.median {
            body.push_str(&median(x(m), cy, &value(m)));
        }
        body.push_str(&own(x(self.own), cy, &value(self.own)));
        format!(
            r#"<svg class="spine" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" xmlns="http://www.w3.org/2000/svg"><title>{}</title>{body}</svg>"#,
            escape(&self.sentence())
        )
    }
}
