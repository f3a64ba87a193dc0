//! What templates receive about gap data: figures formatted once, trends and comparisons in
//! words, charts drawn, so templates only lay them out.

use super::view::{Card, LevelView, LinkView, Views};
use crate::render::charts::{self, Line, Reading, Style};
use crate::resolve::authorities::LaCode;
use crate::resolve::content::{CaseStudy, Kind};
use crate::resolve::data::ees::{TimePeriod, Value};
use crate::resolve::data::gaps::{self, Direction, IndicatorGaps, Point, Series, Spread, Trend};
use crate::resolve::data::indicators::Indicator;
use crate::resolve::routes;
use crate::resolve::site::DocId;
use serde::Serialize;

/// How an indicator's unit reads: after a value, and for a gap.
pub(super) struct Units {
    suffix: &'static str,
    pub gap: String,
    /// How a crowded table may shorten `gap` ("pp"), saying it in full to screen readers.
    pub gap_short: Option<&'static str>,
}

pub(super) fn units(unit: &str) -> Units {
    match unit {
        "percent" => Units {
            suffix: "%",
            gap: "percentage points".into(),
            gap_short: Some("pp"),
        },
        "points" => Units {
            suffix: "",
            gap: "points".into(),
            gap_short: None,
        },
        other => Units {
            suffix: "",
            gap: other.replace('-', " "),
            gap_short: None,
        },
    }
}

pub(super) fn number(x: f64, decimals: u8) -> String {
    format!("{x:.*}", usize::from(decimals))
}

/// One table cell: a figure, or DfE's symbol with what it means.
#[derive(Debug, Serialize)]
pub struct CellView {
    pub text: String,
    pub missing: Option<&'static str>,
}

fn value_cell(v: Value, decimals: u8, suffix: &str) -> CellView {
    match v {
        Value::Number(n) => CellView {
            text: format!("{}{suffix}", number(n, decimals)),
            missing: None,
        },
        Value::Missing(m) => CellView {
            text: m.symbol().into(),
            missing: Some(m.meaning()),
        },
    }
}

fn gap_cell(p: &Point, decimals: u8) -> CellView {
    match p.gap {
        Some(g) => CellView {
            text: number(g, decimals),
            missing: None,
        },
        None => match p.group {
            Value::Missing(_) => value_cell(p.group, decimals, ""),
            Value::Number(_) => value_cell(p.comparison, decimals, ""),
        },
    }
}

#[derive(Debug, Serialize)]
pub struct RowView {
    pub period: String,
    pub group: CellView,
    pub comparison: CellView,
    pub gap: CellView,
}

/// The numbers behind a chart, as a real table.
#[derive(Debug, Serialize)]
pub struct TableView {
    /// The caption's id, which labels the table and its scroll container.
    pub id: String,
    pub caption: String,
    pub group_label: String,
    pub comparison_label: String,
    pub gap_unit: String,
    pub rows: Vec<RowView>,
}

#[derive(Debug, Serialize)]
pub struct ChartView {
    pub svg: String,
    pub table: TableView,
}

/// A gap set against another: the word and the other figure.
#[derive(Debug, Serialize)]
pub struct Versus {
    pub word: &'static str,
    pub phrase: &'static str,
    pub other: String,
}

/// One place's latest gap and its trend, as a row of a table.
#[derive(Debug, Serialize)]
pub struct PlaceGapView {
    pub name: String,
    pub href: Option<String>,
    pub period: Option<String>,
    pub gap: Option<String>,
    pub trend: Option<&'static str>,
    pub trend_text: String,
    pub improving: bool,
    pub versus_region: Option<Versus>,
    pub versus_england: Option<Versus>,
    pub sparkline: Option<String>,
    pub rank: Option<usize>,
}

/// Where the figures come from, and the files that hold them.
#[derive(Debug, Serialize)]
pub struct ProvenanceView {
    pub source: SourceView,
    pub note: Option<String>,
    pub csv: String,
    pub json: String,
}

/// Where an indicator's figures come from and on what terms.
#[derive(Debug, Serialize, PartialEq)]
pub struct SourceView {
    pub source: Option<String>,
    pub source_url: Option<String>,
    pub licence: Option<String>,
}

impl SourceView {
    pub fn of(ind: &Indicator) -> SourceView {
        SourceView {
            source: ind.source.clone(),
            source_url: ind.source_url.clone(),
            licence: ind.licence.clone(),
        }
    }
}

/// An indicator as listings and term pages show it.
#[derive(Debug, Serialize)]
pub struct IndicatorBrief {
    pub title: String,
    pub href: String,
    /// The programme's groups it measures, and, where several, why each is named.
    pub groups: Vec<LinkView>,
    pub groups_note: Option<String>,
    pub outcome: LinkView,
    pub group_label: String,
    pub comparison_label: String,
    pub gap_unit: String,
    pub england: Option<PlaceGapView>,
}

/// One indicator for one local authority: it, its region and England, and its chart.
#[derive(Debug, Serialize)]
pub struct AuthorityIndicatorView {
    /// Unique on a page that shows several authorities: indicator and authority.
    pub id: String,
    pub title: String,
    pub place: String,
    pub href: String,
    pub comparison_label: String,
    pub group_label: String,
    pub gap_unit: String,
    pub places: Vec<PlaceGapView>,
    pub chart: ChartView,
    pub provenance: ProvenanceView,
}

#[derive(Debug, Serialize)]
pub struct RegionMultiple {
    pub place: PlaceGapView,
    pub chart: ChartView,
}

/// An indicator's own page.
#[derive(Debug, Serialize)]
pub struct IndicatorPage {
    pub brief: IndicatorBrief,
    pub higher_is_better: bool,
    pub provenance: ProvenanceView,
    pub period: Option<String>,
    pub england: Option<ChartView>,
    pub regions: Vec<RegionMultiple>,
    pub authorities: Vec<PlaceGapView>,
    pub counts: TrendCounts,
}

/// How many authorities' gaps narrowed, widened or held.
#[derive(Debug, Default, Serialize)]
pub struct TrendCounts {
    pub narrowed: usize,
    pub narrowed_improving: usize,
    pub widened: usize,
    pub held: usize,
    pub unknown: usize,
}

#[derive(Debug, Serialize)]
pub struct NeighbourLink {
    pub link: LinkView,
    pub closeness: Option<String>,
}

/// A neighbour whose gap narrowed, with what it wrote up.
#[derive(Debug, Serialize)]
pub struct NeighbourPractice {
    pub neighbour: LinkView,
    pub narrowed_in: Vec<String>,
    pub case_studies: Vec<Card>,
}

/// The view of each indicator (by index) for each authority with figures for it, and the
/// spread of all authorities' gaps in each of its years.
pub struct AuthorityIndicators {
    views: Vec<std::collections::BTreeMap<LaCode, AuthorityIndicatorView>>,
    spreads: Vec<std::collections::BTreeMap<TimePeriod, Spread>>,
}

impl AuthorityIndicators {
    /// Indicator `i` for authority `la`, if it has figures there.
    pub fn get(&self, i: usize, la: &LaCode) -> Option<&AuthorityIndicatorView> {
        self.views.get(i)?.get(la)
    }

    /// How all authorities' gaps on indicator `i` spread in `period`, if any had one.
    pub fn spread(&self, i: usize, period: &TimePeriod) -> Option<Spread> {
        self.spreads.get(i)?.get(period).copied()
    }
}

/// "Councils like yours": the authority against its statistical neighbours.
#[derive(Debug, Serialize)]
pub struct NeighboursView {
    pub neighbours: Vec<NeighbourLink>,
    pub practice: Vec<NeighbourPractice>,
}

impl Views<'_> {
    fn indicator(&self, i: usize) -> (&Indicator, &IndicatorGaps) {
        (&self.site.data.indicators.list[i], &self.site.data.gaps[i])
    }

    pub(super) fn trend_text(&self, ind: &Indicator, t: Option<&Trend>, decimals: u8) -> String {
        let u = units(&ind.unit);
        let Some(t) = t else {
            return "Not enough years of figures to show a trend.".into();
        };
        let by = number(t.change.abs(), decimals);
        let mut s = match t.direction {
            Direction::Narrowed => {
                format!("Narrowed by {by} {} from {} to {}", u.gap, t.from, t.to)
            }
            Direction::Widened => format!("Widened by {by} {} from {} to {}", u.gap, t.from, t.to),
            Direction::Held => format!(
                "Held from {} to {} (a change of {by} {})",
                t.from, t.to, u.gap
            ),
        };
        if t.narrowed_while_improving() {
            s.push_str(&format!(
                ", while outcomes for {} improved",
                ind.comparison_label
            ));
        }
        s.push('.');
        s
    }

    fn place_gap(
        &self,
        ind: &Indicator,
        g: &IndicatorGaps,
        s: &Series,
        href: Option<String>,
    ) -> PlaceGapView {
        let latest = s.latest();
        PlaceGapView {
            name: s.place.name.clone(),
            href,
            period: latest.map(|p| p.period.label()),
            gap: latest.and_then(|p| p.gap).map(|x| number(x, g.decimals)),
            trend: s.trend.as_ref().map(|t| t.direction.word()),
            trend_text: self.trend_text(ind, s.trend.as_ref(), g.decimals),
            improving: s
                .trend
                .as_ref()
                .is_some_and(Trend::narrowed_while_improving),
            versus_region: None,
            versus_england: None,
            sparkline: None,
            rank: None,
        }
    }

    /// Sets how an authority's latest gap stands against its region's and England's in the
    /// same year.
    fn with_versus(
        &self,
        ind: &Indicator,
        g: &IndicatorGaps,
        s: &Series,
        mut v: PlaceGapView,
    ) -> PlaceGapView {
        let Some(latest) = s.latest() else { return v };
        let Some(gap) = latest.gap else { return v };
        let versus = |other: Option<&Series>| {
            let o = other?.gap_in(&latest.period)?;
            let r = gaps::relative(gap, o, ind.tolerance);
            Some(Versus {
                word: r.word(),
                phrase: r.phrase(),
                other: number(o, g.decimals),
            })
        };
        v.versus_region = versus(g.region_of(s));
        v.versus_england = versus(g.national.as_ref());
        v
    }

    fn chart(&self, ind: &Indicator, g: &IndicatorGaps, s: &Series, compact: bool) -> ChartView {
        let u = units(&ind.unit);
        // A year the file has no row for is missing too, and the chart says so.
        let by_period = |f: &dyn Fn(&Point) -> Value| -> Vec<Reading> {
            g.periods
                .iter()
                .map(
                    |p| match s.points.iter().find(|pt| &pt.period == p).map(f) {
                        Some(Value::Number(n)) => Ok(n),
                        Some(Value::Missing(m)) => Err(m.meaning()),
                        None => Err("not in the source"),
                    },
                )
                .collect()
        };
        let labels: Vec<String> = g.periods.iter().map(|p| p.label()).collect();
        let id = format!("chart-{}-{}", ind.id, s.place.code);
        let title = format!("{}: {}", s.place.name, ind.title);
        let mut description = format!(
            "{} against {}, {} to {}.",
            ind.filter.group.value,
            ind.comparison_label,
            labels.first().map_or("", String::as_str),
            labels.last().map_or("", String::as_str)
        );
        if let Some(p) = s.latest() {
            description.push_str(&format!(
                " In {}: {} against {}, a gap of {} {}.",
                p.period,
                value_cell(p.group, g.decimals, u.suffix).text,
                value_cell(p.comparison, g.decimals, u.suffix).text,
                number(p.gap.unwrap_or_default(), g.decimals),
                u.gap
            ));
        }
        description.push(' ');
        description.push_str(&self.trend_text(ind, s.trend.as_ref(), g.decimals));
        let svg = charts::Trend {
            id: &id,
            title: &title,
            description: &description,
            x_labels: &labels,
            group: Line {
                label: &ind.filter.group.value,
                style: Style::Group,
                values: by_period(&|p| p.group),
            },
            comparison: Line {
                label: &ind.filter.comparison.value,
                style: Style::Comparison,
                values: by_period(&|p| p.comparison),
            },
            compact,
            unit_suffix: u.suffix,
        }
        .svg();
        ChartView {
            svg,
            table: TableView {
                id: format!("{}-table", charts::id_token(&id)),
                caption: title,
                group_label: ind.filter.group.value.clone(),
                comparison_label: ind.filter.comparison.value.clone(),
                gap_unit: u.gap,
                rows: s
                    .points
                    .iter()
                    .map(|p| RowView {
                        period: p.period.label(),
                        group: value_cell(p.group, g.decimals, u.suffix),
                        comparison: value_cell(p.comparison, g.decimals, u.suffix),
                        gap: gap_cell(p, g.decimals),
                    })
                    .collect(),
            },
        }
    }

    fn provenance(&self, ind: &Indicator) -> ProvenanceView {
        let base = routes::indicator_data(&ind.id);
        ProvenanceView {
            source: SourceView::of(ind),
            note: ind.note.clone(),
            csv: self.site.href(&format!("{base}.csv")),
            json: self.site.href(&format!("{base}.json")),
        }
    }

    pub fn indicator_brief(&self, i: usize) -> IndicatorBrief {
        let (ind, g) = self.indicator(i);
        let tax = &self.site.taxonomies;
        let u = units(&ind.unit);
        IndicatorBrief {
            title: ind.title.clone(),
            href: self.site.href(&routes::indicator(&ind.id)),
            groups: self.group_links(&ind.measures),
            groups_note: ind.measures.why().map(str::to_string),
            outcome: self.link(
                &tax.outcomes.get(&ind.outcome).name,
                &routes::term(&ind.outcome),
            ),
            group_label: ind.group_label.clone(),
            comparison_label: ind.comparison_label.clone(),
            gap_unit: u.gap,
            england: g.national.as_ref().map(|s| self.place_gap(ind, g, s, None)),
        }
    }

    /// Indicator `i` for authority `la`, if it has figures there.
    fn authority_indicator(&self, i: usize, la: &LaCode) -> Option<AuthorityIndicatorView> {
        let (ind, g) = self.indicator(i);
        let s = g.authorities.get(la)?;
        let own = self.with_versus(ind, g, s, self.place_gap(ind, g, s, None));
        let mut places = vec![own];
        if let Some(r) = g.region_of(s) {
            places.push(self.place_gap(ind, g, r, None));
        }
        if let Some(n) = &g.national {
            places.push(self.place_gap(ind, g, n, None));
        }
        Some(AuthorityIndicatorView {
            id: format!("{}-{la}", ind.id),
            title: ind.title.clone(),
            place: s.place.name.clone(),
            href: self.site.href(&routes::indicator(&ind.id)),
            comparison_label: ind.comparison_label.clone(),
            group_label: ind.group_label.clone(),
            gap_unit: units(&ind.unit).gap,
            places,
            chart: self.chart(ind, g, s, false),
            provenance: self.provenance(ind),
        })
    }

    /// Every indicator's view for every authority with figures for it, drawn once per build:
    /// a case study's page shows the views of its authorities and indicators, an authority's
    /// page all of its own, so thousands of pages share a few thousand charts.
    pub fn all_authority_indicators(&self) -> AuthorityIndicators {
        use rayon::prelude::*;
        let gaps = &self.site.data.gaps;
        AuthorityIndicators {
            views: (0..gaps.len())
                .into_par_iter()
                .map(|i| {
                    gaps[i]
                        .authorities
                        .keys()
                        .filter_map(|la| Some((la.clone(), self.authority_indicator(i, la)?)))
                        .collect()
                })
                .collect(),
            spreads: gaps
                .iter()
                .map(|g| {
                    g.periods
                        .iter()
                        .filter_map(|p| Some((p.clone(), Spread::of(g, p)?)))
                        .collect()
                })
                .collect(),
        }
    }

    pub fn indicator_page(&self, i: usize) -> IndicatorPage {
        let (ind, g) = self.indicator(i);
        let las = &self.site.authorities;
        let gaps_now: Vec<f64> = g
            .authorities
            .values()
            .filter_map(|s| s.latest().and_then(|p| p.gap))
            .collect();
        let range = gaps_now
            .iter()
            .fold((0.0f64, 0.0f64), |(lo, hi), &x| (lo.min(x), hi.max(x)));
        let mut counts = TrendCounts::default();
        let mut authorities: Vec<(Option<f64>, &str, PlaceGapView)> = g
            .authorities
            .iter()
            .map(|(code, s)| {
                match s.trend.as_ref() {
                    None => counts.unknown += 1,
                    Some(t) => match t.direction {
                        Direction::Narrowed => {
                            counts.narrowed += 1;
                            counts.narrowed_improving += usize::from(t.comparison_improved);
                        }
                        Direction::Widened => counts.widened += 1,
                        Direction::Held => counts.held += 1,
                    },
                }
                let href = Some(self.site.href(&routes::authority(code)));
                let mut v = self.with_versus(ind, g, s, self.place_gap(ind, g, s, href));
                v.name = las.get(code).name.clone();
                let values: Vec<Option<f64>> = g.periods.iter().map(|p| s.gap_in(p)).collect();
                v.sparkline = Some(charts::sparkline(
                    &values,
                    range,
                    &format!("The gap in {} over the years", v.name),
                ));
                (s.latest().and_then(|p| p.gap), code.as_str(), v)
            })
            .collect();
        // Smallest gap first; places with no figure last; ties by code, so the order is stable.
        authorities.sort_by(|a, b| match (a.0, b.0) {
            (Some(x), Some(y)) => x.total_cmp(&y).then_with(|| a.1.cmp(b.1)),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => a.1.cmp(b.1),
        });
        let mut rank = 0;
        let authorities = authorities
            .into_iter()
            .map(|(gap, _, mut v)| {
                if gap.is_some() {
                    rank += 1;
                    v.rank = Some(rank);
                }
                v
            })
            .collect();
        IndicatorPage {
            brief: self.indicator_brief(i),
            higher_is_better: ind.higher_is_better,
            provenance: self.provenance(ind),
            period: match (g.periods.first(), g.periods.last()) {
                (Some(a), Some(b)) => Some(format!("{a} to {b}")),
                _ => None,
            },
            england: g.national.as_ref().map(|s| self.chart(ind, g, s, false)),
            regions: g
                .regions
                .values()
                .map(|s| RegionMultiple {
                    place: self.place_gap(ind, g, s, None),
                    chart: self.chart(ind, g, s, true),
                })
                .collect(),
            authorities,
            counts,
        }
    }

    pub fn neighbours(&self, la: &LaCode) -> Option<NeighboursView> {
        let data = &self.site.data;
        let list = data.neighbours.of(la);
        if list.is_empty() {
            return None;
        }
        let codes: Vec<LaCode> = list.iter().map(|n| n.code.clone()).collect();
        let la_link = |code: &LaCode| {
            self.link(
                &self.site.authorities.get(code).name,
                &routes::authority(code),
            )
        };
        let mut narrowed_in: Vec<(LaCode, Vec<String>)> =
            codes.iter().map(|c| (c.clone(), Vec::new())).collect();
        for (ind, g) in data.each() {
            let Some(a) = gaps::among_neighbours(g, la, &codes, g.decimals) else {
                continue;
            };
            for code in &a.narrowed {
                if let Some(entry) = narrowed_in.iter_mut().find(|(c, _)| c == code) {
                    entry.1.push(ind.title.clone());
                }
            }
        }
        let practice = narrowed_in
            .into_iter()
            .filter(|(_, titles)| !titles.is_empty())
            .filter_map(|(code, titles)| {
                let cards: Vec<Card> = self
                    .facts
                    .authorities
                    .get(&code)?
                    .iter()
                    .filter(|&&id| matches!(self.site.docs[id].kind, Kind::CaseStudy(_)))
                    .map(|&id| self.card(id))
                    .collect();
                (!cards.is_empty()).then(|| NeighbourPractice {
                    neighbour: la_link(&code),
                    narrowed_in: titles,
                    case_studies: cards,
                })
            })
            .collect();
        Some(NeighboursView {
            neighbours: list
                .iter()
                .map(|n| NeighbourLink {
                    link: la_link(&n.code),
                    closeness: n.closeness.clone(),
                })
                .collect(),
            practice,
        })
    }
}

/// One cell of the evidence and gap map.
#[derive(Debug, Serialize)]
pub struct MapCellView {
    pub case_studies: usize,
    pub hypotheses: usize,
    /// The counts in words: "2 case studies, 1 hypothesis", "no case studies, 1 hypothesis".
    pub counts: String,
    /// "1 indicator" when gap indicators measure the cell (groups only), else `None`.
    pub indicators: Option<String>,
    pub href: Option<String>,
    /// The level of the cell's best-graded case study. `None` makes the cell a gap even when
    /// it holds hypotheses: a hypothesis is a claim to test, not evidence that it works.
    pub strongest: Option<LevelView>,
    /// 0 (no case study) to 3 (the most case studies of any cell on the map), for shading.
    pub shade: usize,
}

#[derive(Debug, Serialize)]
pub struct MapRowView {
    pub term: LinkView,
    pub cells: Vec<MapCellView>,
}

#[derive(Debug, Serialize)]
pub struct MapView {
    pub id: &'static str,
    pub caption: String,
    pub row_heading: &'static str,
    pub outcomes: Vec<LinkView>,
    pub rows: Vec<MapRowView>,
    /// Cells without a case study, hypotheses or not.
    pub empty: usize,
    /// Of the empty cells, those that hold hypotheses.
    pub hypotheses_only: usize,
    /// The gaps in words: "7 of 25 cells have no case study yet; 2 of them have only
    /// hypotheses."
    pub summary: String,
}

/// A count with its noun in words: "no case studies", "1 case study", "2 case studies".
fn counted(n: usize, one: &str, many: &str) -> String {
    match n {
        0 => format!("no {many}"),
        1 => format!("1 {one}"),
        _ => format!("{n} {many}"),
    }
}

/// The sentence under a map's heading that says how many of its cells are gaps.
fn gaps_summary(empty: usize, hypotheses_only: usize, cells: usize) -> String {
    let have = |n: usize| if n == 1 { "has" } else { "have" };
    let mut s = format!("{empty} of {cells} cells {} no case study yet", have(empty));
    if hypotheses_only > 0 {
        s.push_str(&format!(
            "; {hypotheses_only} of them {} only hypotheses",
            have(hypotheses_only)
        ));
    }
    s.push('.');
    s
}

impl Views<'_> {
    /// The case studies among a cell's documents; the rest are hypotheses.
    fn case_studies<'d>(&'d self, docs: &'d [DocId]) -> impl Iterator<Item = &'d CaseStudy> {
        docs.iter().filter_map(|&d| match &self.site.docs[d].kind {
            Kind::CaseStudy(c) => Some(c),
            _ => None,
        })
    }

    /// A set of documents counted in words: "2 case studies, 1 hypothesis".
    pub(super) fn practice_counts(&self, docs: &[DocId]) -> String {
        let case_studies = self.case_studies(docs).count();
        format!(
            "{}, {}",
            counted(case_studies, "case study", "case studies"),
            counted(docs.len() - case_studies, "hypothesis", "hypotheses")
        )
    }

    /// How many gap indicators measure both a map row and an outcome; themes have none.
    fn map_indicators(&self, rows: super::MapRows, r: usize, o: usize) -> usize {
        match rows {
            super::MapRows::Groups => self.facts.indicators_by_group[r]
                .iter()
                .filter(|&&i| self.facts.indicators_by_outcome[o].contains(&i))
                .count(),
            super::MapRows::Themes => 0,
        }
    }

    /// One cell: `most` is the largest number of case studies in any cell of its map.
    fn map_cell(
        &self,
        rows: super::MapRows,
        (r, o): (usize, usize),
        docs: &[DocId],
        most: usize,
    ) -> MapCellView {
        let case_studies = self.case_studies(docs).count();
        let hypotheses = docs.len() - case_studies;
        let indicators = self.map_indicators(rows, r, o);
        MapCellView {
            case_studies,
            hypotheses,
            counts: self.practice_counts(docs),
            indicators: (indicators > 0).then(|| counted(indicators, "indicator", "indicators")),
            // Hypotheses-only cells keep their link: their page lists what is to be tested.
            href: (!docs.is_empty()).then(|| self.site.href(&rows.cell_url(r, o, self.site))),
            strongest: self
                .case_studies(docs)
                .map(|c| c.evidence_level)
                .max()
                .map(|l| self.level(l)),
            shade: (case_studies * 3).div_ceil(most.max(1)),
        }
    }

    /// Every evidence level, weakest first, for the key that explains a cell's strongest.
    pub fn map_levels(&self) -> Vec<LevelView> {
        let mut levels: Vec<LevelView> = self
            .site
            .taxonomies
            .evidence_levels
            .iter()
            .map(LevelView::from)
            .collect();
        levels.sort_by_key(|l| l.level);
        levels
    }

    /// The map of `rows` (groups or themes) against outcomes; each cell links to the
    /// documents behind its count and counts the gap indicators that measure it.
    pub fn map(&self, rows: super::MapRows) -> MapView {
        let cells = rows.cells(self.facts);
        let terms = rows.taxonomy().terms(self.site);
        let tax = &self.site.taxonomies;
        let most = cells
            .iter()
            .flatten()
            .map(|docs| self.case_studies(docs).count())
            .max()
            .unwrap_or(0);
        let rows_out: Vec<MapRowView> = cells
            .iter()
            .zip(&terms)
            .enumerate()
            .map(|(r, (row, term))| MapRowView {
                term: self.link(term.name, &term.url),
                cells: row
                    .iter()
                    .enumerate()
                    .map(|(o, docs)| self.map_cell(rows, (r, o), docs, most))
                    .collect(),
            })
            .collect();
        let all = || rows_out.iter().flat_map(|row| &row.cells);
        let empty = all().filter(|c| c.strongest.is_none()).count();
        let hypotheses_only = all()
            .filter(|c| c.strongest.is_none() && c.hypotheses > 0)
            .count();
        let outcomes: Vec<LinkView> = tax
            .outcomes
            .terms()
            .iter()
            .map(|t| self.link(&t.name, &routes::term(&t.slug)))
            .collect();
        MapView {
            id: rows.taxonomy().key(),
            caption: format!(
                "Case studies and hypotheses by {} and outcome",
                rows.taxonomy().singular()
            ),
            row_heading: rows.taxonomy().title(),
            summary: gaps_summary(empty, hypotheses_only, all().count()),
            outcomes,
            rows: rows_out,
            empty,
            hypotheses_only,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_read_in_words_singular_plural_and_none() {
        assert_eq!(counted(0, "case study", "case studies"), "no case studies");
        assert_eq!(counted(1, "hypothesis", "hypotheses"), "1 hypothesis");
        assert_eq!(counted(2, "hypothesis", "hypotheses"), "2 hypotheses");
    }

    #[test]
    fn the_gaps_summary_agrees_with_its_counts() {
        assert_eq!(gaps_summary(1, 0, 4), "1 of 4 cells has no case study yet.");
        assert_eq!(
            gaps_summary(3, 2, 6),
            "3 of 6 cells have no case study yet; 2 of them have only hypotheses."
        );
    }
}
