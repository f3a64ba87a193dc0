//! Accessible SVG charts of gap series, drawn at build time: no chart library in the browser.
//! Every chart carries its own title and description for assistive technology, and lines
//! differ by dash and marker shape as well as colour, so colour is never the only signal.
//! The pages put a real table with the same numbers beside each chart.

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

pub struct Line<'a> {
    pub label: &'a str,
    pub style: Style,
    /// One value per x position; `None` breaks the line.
    pub values: Vec<Option<f64>>,
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

struct Frame {
    width: f64,
    height: f64,
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
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
        let plot = self.height - self.top - self.bottom;
        self.top + plot * (1.0 - v / max)
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
fn id_token(raw: &str) -> String {
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

impl Trend<'_> {
    pub fn svg(&self) -> String {
        let f = if self.compact {
            Frame {
                width: 300.0,
                height: 190.0,
                left: 40.0,
                right: 26.0,
                top: 12.0,
                bottom: 34.0,
                font: 13.0,
            }
        } else {
            Frame {
                width: 560.0,
                height: 330.0,
                left: 48.0,
                right: 36.0,
                top: 84.0,
                bottom: 40.0,
                font: 14.0,
            }
        };
        let n = self.x_labels.len();
        let max_value = self
            .group
            .values
            .iter()
            .chain(&self.comparison.values)
            .flatten()
            .fold(0.0f64, |a, &b| a.max(b));
        let (max, step) = nice_scale(max_value);
        let mut s = String::new();
        let _ = write!(
            s,
            r#"<svg class="chart{}" viewBox="0 0 {} {}" role="img" aria-labelledby="{id}-title {id}-desc" xmlns="http://www.w3.org/2000/svg"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
            if self.compact { " chart-compact" } else { "" },
            f.width,
            f.height,
            escape(self.title),
            escape(self.description),
            id = id_token(self.id),
        );
        // Gridlines and the value axis.
        s.push_str(r#"<g class="axis">"#);
        let mut v = 0.0;
        while v <= max + 1e-9 {
            let y = f.y(v, max);
            let _ = write!(
                s,
                r#"<line x1="{:.1}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}"/><text x="{:.1}" y="{:.1}" text-anchor="end" font-size="{}">{}{}</text>"#,
                f.left,
                f.width - f.right,
                f.left - 6.0,
                y + 4.0,
                f.font - 1.0,
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
                r#"<text x="{:.1}" y="{:.1}" text-anchor="middle" font-size="{}">{}</text>"#,
                f.x(i, n),
                f.height - f.bottom + f.font + 8.0,
                f.font - 1.0,
                escape(label)
            );
        }
        s.push_str("</g>");
        // The gap: shaded between the lines wherever both are known.
        let both = |i: usize| self.group.values[i].is_some() && self.comparison.values[i].is_some();
        for (a, b) in runs(n, both) {
            let mut points = String::new();
            for i in a..=b {
                let _ = write!(
                    points,
                    "{:.1},{:.1} ",
                    f.x(i, n),
                    f.y(self.group.values[i].unwrap_or(0.0), max)
                );
            }
            for i in (a..=b).rev() {
                let _ = write!(
                    points,
                    "{:.1},{:.1} ",
                    f.x(i, n),
                    f.y(self.comparison.values[i].unwrap_or(0.0), max)
                );
            }
            if a == b {
                // One year alone: a bar between the two values marks the gap.
                let x = f.x(a, n);
                let (y1, y2) = (
                    f.y(self.group.values[a].unwrap_or(0.0), max),
                    f.y(self.comparison.values[a].unwrap_or(0.0), max),
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
            for (a, b) in runs(n, |i| line.values[i].is_some()) {
                if a < b {
                    let pts: Vec<String> = (a..=b)
                        .map(|i| {
                            format!(
                                "{:.1},{:.1}",
                                f.x(i, n),
                                f.y(line.values[i].unwrap_or(0.0), max)
                            )
                        })
                        .collect();
                    let _ = write!(s, r#"<polyline points="{}"/>"#, pts.join(" "));
                }
            }
            for (i, v) in line.values.iter().enumerate() {
                if let Some(v) = v {
                    s.push_str(&line.style.marker(f.x(i, n), f.y(*v, max)));
                }
            }
            s.push_str("</g>");
        }
        if !self.compact {
            legend(&mut s, &[&self.group, &self.comparison], f.font);
        }
        s.push_str("</svg>");
        s
    }
}

/// The key: a sample of each line, and of the shaded gap.
fn legend(s: &mut String, lines: &[&Line], font: f64) {
    s.push_str(r#"<g class="legend">"#);
    for (row, line) in lines.iter().enumerate() {
        let y = 14.0 + row as f64 * 22.0;
        let _ = write!(
            s,
            r#"<g class="{}"><polyline points="8,{y:.1} 40,{y:.1}"/>{}</g><text x="50" y="{:.1}" font-size="{font}">{}</text>"#,
            line.style.class(),
            line.style.marker(24.0, y),
            y + 5.0,
            escape(line.label)
        );
    }
    let y = 14.0 + lines.len() as f64 * 22.0;
    let _ = write!(
        s,
        r#"<rect class="gap" x="8" y="{:.1}" width="32" height="14"/><text x="50" y="{:.1}" font-size="{font}">The gap between them</text></g>"#,
        y - 7.0,
        y + 5.0
    );
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
                values: values.clone(),
            },
            comparison: Line {
                label: "All",
                style: Style::Comparison,
                values: values.iter().map(|v| v.map(|v| v + 10.0)).collect(),
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
                values: vec![Some(1.0)],
            },
            comparison: Line {
                label: "c",
                style: Style::Comparison,
                values: vec![Some(2.0)],
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
