//! Accessible SVG charts of gap series, drawn at build time: no chart library in the browser.
//! Every chart carries its own title and description for assistive technology, and lines
//! differ by dash and marker shape as well as colour, so colour is never the only signal.
//! The pages put a real table with the same numbers beside each chart.

use super::svg_text::wrap;
use crate::escape::escape;
use std::fmt::Write;

/// How a line is drawn; each style has its own dash pattern and marker shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// The group of children: solid, circles.
    Group,
    /// The children they are compared with: dashed, squares.
    Comparison,
}

impl Style {
    fn class(self) -> &'static str {
        match self {
            Style::Group => "line-group",
            Style::Comparison => "line-comparison",
        }
    }

    fn marker(self, x: f64, y: f64) -> String {
        match self {
            Style::Group => format!(r#"<circle cx="{x:.1}" cy="{y:.1}" r="4"/>"#),
            Style::Comparison => format!(
                r#"<rect x="{:.1}" y="{:.1}" width="8" height="8"/>"#,
                x - 4.0,
                y - 4.0
            ),
        }
    }
}

/// One line's reading at one x position: its value, or why it has none, in words.
pub type Reading<'a> = Result<f64, &'a str>;

pub struct Line<'a> {
    pub label: &'a str,
    pub style: Style,
    /// One reading per x position; a missing one breaks the line, and the chart says why.
    pub values: Vec<Reading<'a>>,
}

impl Line<'_> {
    fn value(&self, i: usize) -> Option<f64> {
        self.values[i].ok()
    }
}

/// A trend chart: the group's and the comparison's values over the years, with the gap
/// between them shaded wherever both are known.
pub struct Trend<'a> {
    /// Unique on its page: the chart's title and description are referenced by id.
    pub id: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    pub x_labels: &'a [String],
    pub group: Line<'a>,
    pub comparison: Line<'a>,
    /// A small multiple: smaller, no legend (the page shows one legend for all).
    pub compact: bool,
    pub unit_suffix: &'a str,
}

/// Where the chart draws, in viewBox units. The viewBox is about as wide as a phone and the
/// stylesheet lets a chart grow to at most about 1.25 times it (1.5 for small multiples), so
/// text drawn at `font` is never under 12 CSS px on a 320 px screen and never oversized.
struct Frame {
    width: f64,
    left: f64,
    right: f64,
    top: f64,
    plot: f64,
    font: f64,
}

impl Frame {
    fn x(&self, i: usize, n: usize) -> f64 {
        if n <= 1 {
            return (self.left + self.width - self.right) / 2.0;
        }
        self.left + (self.width - self.left - self.right) * i as f64 / (n - 1) as f64
    }

    fn y(&self, v: f64, max: f64) -> f64 {
        self.top + self.plot * (1.0 - v / max)
    }

    fn line_height(&self) -> f64 {
        (self.font * 1.3).round()
    }

    /// About how many characters of a proportional font fit in `room` units.
    fn chars_in(&self, room: f64) -> usize {
        (room / (self.font * 0.55)) as usize
    }
}

/// A round axis maximum above `max` and the step between its gridlines.
fn nice_scale(max: f64) -> (f64, f64) {
    if max <= 0.0 {
        return (1.0, 0.25);
    }
    let raw = max / 4.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude);
    ((max / step).ceil() * step, step)
}

/// Number formatting for axis labels: no trailing `.0`.
fn tick(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

/// An id made of letters, digits and hyphens only, whatever the codes it was made from hold,
/// so it can stand in an attribute and in a space-separated `aria-labelledby`: every other
/// byte is written as `_` and two hex digits, so different codes keep different ids.
pub fn id_token(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for b in raw.bytes() {
        if b.is_ascii_alphanumeric() || b == b'-' {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "_{b:02x}");
        }
    }
    out
}

/// Runs of consecutive positions where `known` holds.
fn runs(n: usize, known: impl Fn(usize) -> bool) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for i in 0..=n {
        match (start, i < n && known(i)) {
            (None, true) => start = Some(i),
            (Some(s), false) => {
                out.push((s, i - 1));
                start = None;
            }
            _ => {}
        }
    }
    out
}

impl<'a> Trend<'a> {
    pub fn svg(&self) -> String {
        let mut f = if self.compact {
            Frame {
                width: 300.0,
                left: 40.0,
                right: 30.0,
                top: 12.0,
                plot: 140.0,
                font: 14.0,
            }
        } else {
            Frame {
                width: 360.0,
                left: 48.0,
                right: 32.0,
                top: 0.0,
                plot: 200.0,
                font: 15.0,
            }
        };
        let mut key = String::new();
        if !self.compact {
            f.top = legend(&mut key, &[&self.group, &self.comparison], &f) + 16.0;
        }
        let n = self.x_labels.len();
        let max_value = self
            .group
            .values
            .iter()
            .chain(&self.comparison.values)
            .flatten()
            .fold(0.0f64, |a, &b| a.max(b));
        let (max, step) = nice_scale(max_value);
        let axis_y = f.top + f.plot + f.font + 8.0;
        let notes: Vec<String> = self
            .breaks()
            .iter()
            .flat_map(|b| wrap(b, f.chars_in(f.width - 8.0)))
            .collect();
        let height = axis_y + 10.0 + notes.len() as f64 * f.line_height();
        let mut s = String::new();
        let _ = write!(
            s,
            r#"<svg class="chart{}" viewBox="0 0 {} {height:.0}" role="img" aria-labelledby="{id}-title {id}-desc" font-size="{}" xmlns="http://www.w3.org/2000/svg"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
            if self.compact { " chart-compact" } else { "" },
            f.width,
            f.font,
            escape(self.title),
            escape(self.description),
            id = id_token(self.id),
        );
        s.push_str(&key);
        // Gridlines and the value axis.
        s.push_str(r#"<g class="axis">"#);
        let mut v = 0.0;
        while v <= max + 1e-9 {
            let y = f.y(v, max);
            let _ = write!(
                s,
                r#"<line x1="{:.1}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}"/><text x="{:.1}" y="{:.1}" text-anchor="end">{}{}</text>"#,
                f.left,
                f.width - f.right,
                f.left - 6.0,
                y + 4.0,
                tick(v),
                escape(self.unit_suffix)
            );
            v += step;
        }
        // Year labels: as many as fit without overlapping, always the first and the last.
        // "2015/16" in a proportional font, with room either side.
        let label_width = f.font * 4.8;
        let room = (f.width - f.left - f.right) / (n.max(2) - 1) as f64;
        let every = ((label_width / room).ceil() as usize).max(1);
        for (i, label) in self.x_labels.iter().enumerate() {
            let shown = i + 1 == n || (i % every == 0 && n - 1 - i >= every);
            if !shown {
                continue;
            }
            let _ = write!(
                s,
                r#"<text x="{:.1}" y="{axis_y:.1}" text-anchor="middle">{}</text>"#,
                f.x(i, n),
                escape(label)
            );
        }
        s.push_str("</g>");
        // The gap: shaded between the lines wherever both are known.
        let both = |i: usize| self.group.value(i).is_some() && self.comparison.value(i).is_some();
        for (a, b) in runs(n, both) {
            let mut points = String::new();
            for i in a..=b {
                let _ = write!(
                    points,
                    "{:.1},{:.1} ",
                    f.x(i, n),
                    f.y(self.group.value(i).unwrap_or(0.0), max)
                );
            }
            for i in (a..=b).rev() {
                let _ = write!(
                    points,
                    "{:.1},{:.1} ",
                    f.x(i, n),
                    f.y(self.comparison.value(i).unwrap_or(0.0), max)
                );
            }
            if a == b {
                // One year alone: a bar between the two values marks the gap.
                let x = f.x(a, n);
                let (y1, y2) = (
                    f.y(self.group.value(a).unwrap_or(0.0), max),
                    f.y(self.comparison.value(a).unwrap_or(0.0), max),
                );
                let _ = write!(
                    s,
                    r#"<rect class="gap" x="{:.1}" y="{:.1}" width="12" height="{:.1}"/>"#,
                    x - 6.0,
                    y1.min(y2),
                    (y1 - y2).abs()
                );
            } else {
                let _ = write!(
                    s,
                    r#"<polygon class="gap" points="{}"/>"#,
                    points.trim_end()
                );
            }
        }
        for line in [&self.comparison, &self.group] {
            let _ = write!(s, r#"<g class="{}">"#, line.style.class());
            for (a, b) in runs(n, |i| line.value(i).is_some()) {
                if a < b {
                    let pts: Vec<String> = (a..=b)
                        .map(|i| {
                            format!(
                                "{:.1},{:.1}",
                                f.x(i, n),
                                f.y(line.value(i).unwrap_or(0.0), max)
                            )
                        })
                        .collect();
                    let _ = write!(s, r#"<polyline points="{}"/>"#, pts.join(" "));
                }
            }
            for i in 0..n {
                if let Some(v) = line.value(i) {
                    s.push_str(&line.style.marker(f.x(i, n), f.y(v, max)));
                }
            }
            s.push_str("</g>");
        }
        // Why each line breaks, under the years.
        if !notes.is_empty() {
            s.push_str(r#"<g class="chart-note">"#);
            for (k, note) in notes.iter().enumerate() {
                let _ = write!(
                    s,
                    r#"<text x="4" y="{:.1}">{}</text>"#,
                    axis_y + 6.0 + (k + 1) as f64 * f.line_height(),
                    escape(note)
                );
            }
            s.push_str("</g>");
        }
        s.push_str("</svg>");
        s
    }

    /// A sentence for each reason some positions have no value: which line, which years,
    /// and why, in the data's own words. A reason both lines share is told once.
    fn breaks(&self) -> Vec<String> {
        let mut notes: Vec<(Option<&'a str>, &'a str, Vec<usize>)> = Vec::new();
        let mut add = |who: Option<&'a str>, why: &'a str, i: usize| match notes
            .iter_mut()
            .find(|(w, y, _)| *w == who && *y == why)
        {
            Some(note) => note.2.push(i),
            None => notes.push((who, why, vec![i])),
        };
        for i in 0..self.x_labels.len() {
            match (self.group.values[i], self.comparison.values[i]) {
                (Err(a), Err(b)) if a == b => add(None, a, i),
                (g, c) => {
                    if let Err(why) = g {
                        add(Some(self.group.label), why, i);
                    }
                    if let Err(why) = c {
                        add(Some(self.comparison.label), why, i);
                    }
                }
            }
        }
        notes
            .into_iter()
            .map(|(who, why, at)| {
                let years = years_in_words(&at, self.x_labels);
                match who {
                    None => format!("No figures for {years}: {why}."),
                    Some(who) => format!("No figure for {who} in {years}: {why}."),
                }
            })
            .collect()
    }
}

/// Positions as years in words: "2015/16, and 2019/20 to 2020/21".
fn years_in_words(at: &[usize], labels: &[String]) -> String {
    let spans: Vec<String> = runs(labels.len(), |i| at.contains(&i))
        .into_iter()
        .map(|(a, b)| match b - a {
            0 => labels[a].clone(),
            1 => format!("{} and {}", labels[a], labels[b]),
            _ => format!("{} to {}", labels[a], labels[b]),
        })
        .collect();
    match spans.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{}, and {last}", rest.join(", ")),
        _ => spans.concat(),
    }
}

/// The key: a sample of each line, and of the shaded gap, each label wrapped to the width.
/// Returns the height it takes.
fn legend(s: &mut String, lines: &[&Line], f: &Frame) -> f64 {
    let lh = f.line_height();
    let chars = f.chars_in(f.width - 50.0);
    s.push_str(r#"<g class="legend">"#);
    let mut y = 4.0 + lh / 2.0;
    let label = |s: &mut String, y: &mut f64, text: &str| {
        let wrapped = wrap(text, chars);
        for (k, l) in wrapped.iter().enumerate() {
            let _ = write!(
                s,
                r#"<text x="50" y="{:.1}">{}</text>"#,
                *y + 5.0 + k as f64 * lh,
                escape(l)
            );
        }
        *y += wrapped.len().max(1) as f64 * lh + 6.0;
    };
    for line in lines {
        let _ = write!(
            s,
            r#"<g class="{}"><polyline points="8,{y:.1} 40,{y:.1}"/>{}</g>"#,
            line.style.class(),
            line.style.marker(24.0, y),
        );
        label(s, &mut y, line.label);
    }
    let _ = write!(
        s,
        r#"<rect class="gap" x="8" y="{:.1}" width="32" height="14"/>"#,
        y - 7.0
    );
    label(s, &mut y, "The gap between them");
    s.push_str("</g>");
    y - lh / 2.0
}

/// A small line of the gap alone over the years, for tables that rank many places; the
/// table row beside it holds the numbers and the trend in words.
pub fn sparkline(values: &[Option<f64>], range: (f64, f64), label: &str) -> String {
    let (min, max) = range;
    let (w, h, pad) = (120.0, 28.0, 4.0);
    let n = values.len();
    let x = |i: usize| {
        if n <= 1 {
            w / 2.0
        } else {
            pad + (w - 2.0 * pad) * i as f64 / (n - 1) as f64
        }
    };
    let span = if max > min { max - min } else { 1.0 };
    let y = |v: f64| pad + (h - 2.0 * pad) * (1.0 - ((v - min) / span).clamp(0.0, 1.0));
    let mut s = format!(
        r#"<svg class="sparkline" viewBox="0 0 {w} {h}" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg">"#,
        escape(label)
    );
    for (a, b) in runs(n, |i| values[i].is_some()) {
        let pts: Vec<String> = (a..=b)
            .map(|i| format!("{:.1},{:.1}", x(i), y(values[i].unwrap_or(0.0))))
            .collect();
        if a < b {
            let _ = write!(s, r#"<polyline points="{}"/>"#, pts.join(" "));
        }
    }
    if let Some((i, v)) = values
        .iter()
        .enumerate()
        .rev()
        .find_map(|(i, v)| v.map(|v| (i, v)))
    {
        let _ = write!(s, r#"<circle cx="{:.1}" cy="{:.1}" r="3"/>"#, x(i), y(v));
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart(values: Vec<Option<f64>>) -> String {
        let labels: Vec<String> = (0..values.len()).map(|i| format!("201{i}")).collect();
        Trend {
            id: "c1",
            title: "A <title>",
            description: "What it shows",
            x_labels: &labels,
            group: Line {
                label: "Group",
                style: Style::Group,
                values: values.iter().map(|v| v.ok_or("not available")).collect(),
            },
            comparison: Line {
                label: "All",
                style: Style::Comparison,
                values: values
                    .iter()
                    .map(|v| v.map(|v| v + 10.0).ok_or("not available"))
                    .collect(),
            },
            compact: false,
            unit_suffix: "%",
        }
        .svg()
    }

    #[test]
    fn missing_years_break_the_line_and_the_shading() {
        let svg = chart(vec![Some(40.0), Some(42.0), None, Some(45.0), Some(46.0)]);
        // Two runs of lines per series, two shaded runs.
        assert_eq!(svg.matches("<polygon class=\"gap\"").count(), 2);
        assert_eq!(
            svg.matches("<polyline").count(),
            2 * 2 + 2,
            "lines plus the legend's samples"
        );
        // Four markers per series, and one each in the legend.
        assert_eq!(svg.matches("<circle").count(), 5);
        assert_eq!(svg.matches("<rect x=").count(), 5);
    }

    /// The words of the chart's note, its wrapped lines joined.
    fn note(svg: &str) -> String {
        let Some((_, rest)) = svg.split_once(r#"<g class="chart-note">"#) else {
            return String::new();
        };
        let body = rest.split_once("</g>").unwrap().0;
        body.split("</text>")
            .filter_map(|t| t.rsplit_once('>').map(|(_, text)| text))
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn every_break_is_told_in_words_on_the_chart() {
        let svg = chart(vec![None, Some(42.0), None, None, Some(45.0), None]);
        assert_eq!(
            note(&svg),
            "No figures for 2010, 2012 and 2013, and 2015: not available."
        );
        let labels: Vec<String> = ["2020", "2021", "2022"].map(String::from).into();
        let svg = Trend {
            id: "c2",
            title: "t",
            description: "d",
            x_labels: &labels,
            group: Line {
                label: "Looked after",
                style: Style::Group,
                values: vec![Err("confidential"), Ok(20.0), Ok(22.0)],
            },
            comparison: Line {
                label: "All pupils",
                style: Style::Comparison,
                values: vec![Ok(50.0), Ok(51.0), Err("not in the source")],
            },
            compact: true,
            unit_suffix: "%",
        }
        .svg();
        assert_eq!(
            note(&svg),
            "No figure for Looked after in 2020: confidential. No figure for All pupils in \
             2022: not in the source."
        );
        // A chart with every figure has no note.
        assert_eq!(note(&chart(vec![Some(1.0), Some(2.0)])), "");
    }

    #[test]
    fn a_single_year_is_marked_not_drawn_as_a_line() {
        let svg = chart(vec![Some(40.0)]);
        assert!(svg.contains(r#"<rect class="gap" x="#));
        assert!(!svg.contains("<polygon"));
    }

    #[test]
    fn text_is_escaped_and_described() {
        let svg = chart(vec![Some(1.0), Some(2.0)]);
        assert!(svg.contains("<title id=\"c1-title\">A &lt;title&gt;</title>"));
        assert!(svg.contains(r#"aria-labelledby="c1-title c1-desc""#));
    }

    #[test]
    fn ids_cannot_break_out_of_their_attributes() {
        let labels = vec!["2020".to_string()];
        let svg = Trend {
            id: "chart-x-E12\"onload=\"alert(1) b",
            title: "t",
            description: "d",
            x_labels: &labels,
            group: Line {
                label: "g",
                style: Style::Group,
                values: vec![Ok(1.0)],
            },
            comparison: Line {
                label: "c",
                style: Style::Comparison,
                values: vec![Ok(2.0)],
            },
            compact: true,
            unit_suffix: "",
        }
        .svg();
        let id = "chart-x-E12_22onload_3d_22alert_281_29_20b";
        assert!(svg.contains(&format!(r#"aria-labelledby="{id}-title {id}-desc""#)));
        assert!(svg.contains(&format!(r#"<title id="{id}-title">"#)));
        assert!(!svg.contains("onload="));
    }

    #[test]
    fn scales_are_round() {
        assert_eq!(nice_scale(73.0), (80.0, 20.0));
        assert_eq!(nice_scale(9.0), (10.0, 2.5));
        assert_eq!(nice_scale(51.2), (60.0, 20.0));
    }
}
