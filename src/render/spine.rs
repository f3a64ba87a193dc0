//! The spine chart of a council's gaps (the Fingertips convention): one line per indicator,
//! each on its own scale, showing the range and middle half of every council's gap that year,
//! England, the statistical neighbours' median and the council itself. Marks differ by shape,
//! not colour alone, and every label is drawn at 14 units in a viewBox about as wide as a
//! phone, so its text stays above 12 CSS px at any width the stylesheet lets the chart take.

use super::svg_text::wrap;
use crate::escape::escape;
use crate::resolve::data::gaps::Spread;
use std::fmt::Write;

/// The viewBox's width: the chart is drawn for a phone and grows no wider than 1.5 times it.
const WIDTH: f64 = 320.0;
const FONT: f64 = 14.0;
const LINE: f64 = 18.0;
/// Horizontal room kept at each end of a spine for the marks' half-widths.
const PAD: f64 = 8.0;
/// Room at each end of a spine for its lowest or highest value ("-25.0").
const NUMBER: f64 = 40.0;
/// The most characters of a label on one line at `FONT` across `WIDTH`.
const WRAP: usize = 38;

/// One indicator's line.
pub struct SpineRow<'a> {
    pub label: &'a str,
    pub own: f64,
    pub england: Option<f64>,
    pub median: Option<f64>,
    pub spread: Spread,
    pub decimals: u8,
}

/// A council's spine chart.
pub struct Spine<'a> {
    /// Unique on its page: the title and description are referenced by id.
    pub id: &'a str,
    pub place: &'a str,
    pub rows: Vec<SpineRow<'a>>,
}

impl SpineRow<'_> {
    fn figure(&self, x: f64) -> String {
        format!("{x:.*}", usize::from(self.decimals))
    }

    /// The row in words, for the chart's description.
    fn sentence(&self, place: &str) -> String {
        let mut s = format!("{}: {place} {}", self.label, self.figure(self.own));
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
}

/// Draws a key's mark about the height it is given.
type Mark = fn(f64) -> String;

fn diamond(x: f64, y: f64, r: f64) -> String {
    format!(
        "{:.1},{y:.1} {x:.1},{:.1} {:.1},{y:.1} {x:.1},{:.1}",
        x - r,
        y - r,
        x + r,
        y + r
    )
}

impl Spine<'_> {
    pub fn svg(&self) -> String {
        let mut body = String::new();
        let mut y = 0.0;
        let mid = |y: f64| y - FONT / 3.0;
        y += LINE;
        let _ = write!(
            body,
            r#"<text x="0" y="{y:.1}" class="spine-key-title">Key</text>"#
        );
        // The key, in the chart so that it prints and scales with it: each mark drawn about
        // the middle of its line of text.
        let key: [(Mark, &str); 5] = [
            (
                |c| format!(r#"<circle class="spine-own" cx="10" cy="{c:.1}" r="6"/>"#),
                self.place,
            ),
            (
                |c| {
                    format!(
                        r#"<polygon class="spine-median" points="{}"/>"#,
                        diamond(10.0, c, 6.0)
                    )
                },
                "statistical neighbours' median",
            ),
            (
                |c| {
                    format!(
                        r#"<line class="spine-england" x1="10" x2="10" y1="{:.1}" y2="{:.1}"/>"#,
                        c - 8.0,
                        c + 8.0
                    )
                },
                "England",
            ),
            (
                |c| {
                    format!(
                        r#"<rect class="spine-middle" x="2" y="{:.1}" width="16" height="10"/>"#,
                        c - 5.0
                    )
                },
                "middle half of all councils",
            ),
            (
                |c| {
                    format!(
                        r#"<rect class="spine-range" x="2" y="{:.1}" width="16" height="10"/>"#,
                        c - 5.0
                    )
                },
                "range of all councils",
            ),
        ];
        for (mark, text) in key {
            y += LINE;
            let _ = write!(
                body,
                r#"{}<text x="26" y="{y:.1}">{}</text>"#,
                mark(mid(y)),
                escape(text)
            );
        }
        y += LINE;
        let _ = write!(
            body,
            r#"<text x="0" y="{y:.1}">Further right: a wider gap.</text>"#
        );
        y += LINE / 2.0;
        // Rows that measure the same thing share a heading ("Average Attainment 8 score at
        // age 16"), so each row's own label is short: who it is about.
        let mut heading = None;
        for row in &self.rows {
            y += LINE / 2.0;
            let (measure, who) = match row.label.split_once(": ") {
                Some((m, w)) => (Some(m), w),
                None => (None, row.label),
            };
            if measure.is_some() && measure != heading {
                y += LINE / 2.0;
                for line in wrap(measure.unwrap_or_default(), WRAP) {
                    y += LINE;
                    let _ = write!(
                        body,
                        r#"<text x="0" y="{y:.1}" class="spine-heading">{}</text>"#,
                        escape(&line)
                    );
                }
            }
            heading = measure;
            let _ = write!(
                body,
                r#"<g class="spine-row" data-label="{}">"#,
                escape(row.label)
            );
            for line in wrap(who, WRAP) {
                y += LINE;
                let _ = write!(
                    body,
                    r#"<text x="0" y="{y:.1}" class="spine-label">{}</text>"#,
                    escape(&line)
                );
            }
            let (lo, hi) = row.bounds();
            let span = if hi > lo { hi - lo } else { 1.0 };
            // The lowest and highest values stand at the spine's ends, on its line.
            let (start, end) = (NUMBER + PAD, WIDTH - NUMBER - PAD);
            let x = |v: f64| start + (end - start) * (v - lo) / span;
            let top = y + 6.0;
            let centre = top + 8.0;
            let sp = &row.spread;
            for (class, from, to) in [
                ("spine-range", sp.min, sp.max),
                ("spine-middle", sp.q1, sp.q3),
            ] {
                let _ = write!(
                    body,
                    r#"<rect class="{class}" x="{:.2}" y="{top:.1}" width="{:.2}" height="16" data-from="{from}" data-to="{to}"/>"#,
                    x(from),
                    x(to) - x(from)
                );
            }
            if let Some(e) = row.england {
                let _ = write!(
                    body,
                    r#"<line class="spine-england" x1="{0:.2}" x2="{0:.2}" y1="{1:.1}" y2="{2:.1}" data-value="{e}"/>"#,
                    x(e),
                    top - 4.0,
                    top + 20.0
                );
            }
            if let Some(m) = row.median {
                let _ = write!(
                    body,
                    r#"<polygon class="spine-median" points="{}" data-x="{:.2}" data-value="{m}"/>"#,
                    diamond(x(m), centre, 6.0),
                    x(m)
                );
            }
            let _ = write!(
                body,
                r#"<circle class="spine-own" cx="{:.2}" cy="{centre:.1}" r="6" data-value="{}"/>"#,
                x(row.own),
                row.own
            );
            let _ = write!(
                body,
                r#"<text x="0" y="{0:.1}">{1}</text><text x="{WIDTH}" y="{0:.1}" text-anchor="end">{2}</text></g>"#,
                centre + FONT / 3.0,
                row.figure(lo),
                row.figure(hi)
            );
            y = top + 20.0;
        }
        let height = y + LINE / 2.0;
        let description: Vec<String> = self.rows.iter().map(|r| r.sentence(self.place)).collect();
        format!(
            r#"<svg class="spine-chart" viewBox="0 0 {WIDTH} {height:.0}" role="img" aria-labelledby="{id}-title {id}-desc" font-size="{FONT}" xmlns="http://www.w3.org/2000/svg"><title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>{body}</svg>"#,
            id = escape(self.id),
            title = escape(&format!(
                "{}'s gaps against every council's, England's and its neighbours' median",
                self.place
            )),
            desc = escape(&description.join(" ")),
        )
    }
}
