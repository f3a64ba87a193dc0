//! A council's gaps at a glance: one row per indicator with a figure for it (the latest gap,
//! England's, the rank among statistical neighbours, the trend, all in words, and the row's
//! spine against every council), grouped by the children they are about, and the indicators
//! on which the council compares worst with its neighbours beside the practice the digest
//! holds for their group and outcome.

use super::MapRows;
use super::gap_view::{self, AuthorityIndicators, SourceView};
use super::spine::{self, KeyItem, SpineRow};
use super::view::{Card, LinkView, Views};
use crate::resolve::authorities::LaCode;
use crate::resolve::content::Kind;
use crate::resolve::data::gaps::{self, Relative};
use crate::resolve::routes;
use serde::Serialize;
use std::collections::BTreeMap;

/// How many of the worst-ranked indicators "where the gaps are widest" takes.
const WIDEST: usize = 3;
/// How many documents each of them lists before pointing to the map's cell for the rest.
const DOCUMENTS: usize = 5;

/// One indicator's row.
#[derive(Debug, Serialize)]
pub struct GlanceRow {
    /// The indicator's short title.
    pub title: String,
    /// The council's own page for the indicator: chart, table and trends.
    pub detail: String,
    pub period: String,
    pub gap: String,
    pub gap_unit: String,
    /// `gap_unit` shortened for the row ("pp"), if it is.
    pub gap_unit_short: Option<&'static str>,
    pub england: Option<String>,
    /// "wider by 3.2" (than England's, in the unit the gap's cell names): the table's column
    /// says the rest, so that a row takes one line on a laptop.
    pub versus_england: Option<String>,
    /// `wider`, `narrower` or `similar`, for the mark beside the words.
    pub versus_word: Option<&'static str>,
    pub rank: Option<usize>,
    pub of: Option<usize>,
    pub median: Option<String>,
    pub trend: Option<&'static str>,
    /// The row's spine chart (SVG), when councils had figures that year.
    pub spine: Option<String>,
}

/// The rows about one group of children.
#[derive(Debug, Serialize)]
pub struct GlanceGroup {
    /// The anchor of the group's table: `glance-children-in-care`.
    pub id: String,
    pub name: String,
    pub rows: Vec<GlanceRow>,
}

/// An indicator on which the council compares worst with its neighbours, and the practice
/// the digest holds for its group and outcome.
#[derive(Debug, Serialize)]
pub struct Widest {
    pub title: String,
    pub short_title: String,
    pub detail: String,
    pub rank: usize,
    pub of: usize,
    pub groups: Vec<LinkView>,
    pub outcome: LinkView,
    /// Case studies first, strongest evidence first, then hypotheses.
    pub documents: Vec<Card>,
    /// All of them counted in words: "2 case studies, 1 hypothesis".
    pub counts: String,
    /// How many more the map's cells list, and the cell of each group with documents.
    pub more: usize,
    pub cells: Vec<LinkView>,
}

/// A shortened unit: "pp" for "percentage points".
#[derive(Debug, Serialize)]
pub struct Abbreviation {
    pub short: &'static str,
    pub full: String,
}

/// The top of a council's page.
#[derive(Debug, Serialize)]
pub struct GlanceView {
    pub groups: Vec<GlanceGroup>,
    /// The sources of the rows, once each, and the latest year any row shows, for the page (and its
    /// printed briefing) to say where and when the figures are from.
    pub sources: Vec<SourceView>,
    pub latest: Option<String>,
    /// Each shortened unit the rows use, with what it stands for.
    pub abbreviations: Vec<Abbreviation>,
    /// The spines' key; empty when no row has a spine.
    pub key: Vec<KeyItem>,
    pub widest: Vec<Widest>,
    /// Whether any row has a rank among neighbours (else "widest" has nothing to rank by).
    pub ranked: bool,
}

/// Where a row stands among the neighbours, kept to order "where the gaps are widest".
struct Standing {
    indicator: usize,
    rank: usize,
    of: usize,
    above_median: f64,
}

fn versus_england(gap: f64, england: f64, relative: Relative, decimals: u8) -> String {
    let by = gap_view::number((gap - england).abs(), decimals);
    match relative {
        Relative::Larger => format!("wider by {by}"),
        Relative::Smaller => format!("narrower by {by}"),
        Relative::Similar => format!("about the same (within {by})"),
    }
}

fn versus_word(r: Relative) -> &'static str {
    match r {
        Relative::Larger => "wider",
        Relative::Smaller => "narrower",
        Relative::Similar => "similar",
    }
}

/// Names in a sentence: "Children in care, children at risk of significant harm and disabled
/// children".
fn in_words<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let names: Vec<String> = names
        .enumerate()
        .map(|(i, n)| {
            if i == 0 {
                n.to_string()
            } else {
                crate::resolve::data::indicators::in_sentence(n)
            }
        })
        .collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => names.concat(),
    }
}

impl Views<'_> {
    /// The council's gaps at a glance; `None` when it has no figure for any indicator.
    pub fn glance(&self, la: &LaCode, all: &AuthorityIndicators) -> Option<GlanceView> {
        let data = &self.site.data;
        let tax = &self.site.taxonomies;
        let neighbours: Vec<LaCode> = data
            .neighbours
            .of(la)
            .iter()
            .map(|n| n.code.clone())
            .collect();
        let place = &self.site.authorities.get(la).name;
        // By the groups' places in their vocabulary, so the contents follow
        // data/taxonomies.yaml, and an indicator of several groups has one table of its own.
        let mut groups: BTreeMap<Vec<usize>, GlanceGroup> = BTreeMap::new();
        let mut abbreviations = Vec::new();
        let mut standings = Vec::new();
        let mut sources: Vec<SourceView> = Vec::new();
        let mut latest_period = None;
        for (i, (ind, g)) in data.each().enumerate() {
            let Some(s) = g.authorities.get(la) else {
                continue;
            };
            let Some(latest) = s.latest() else { continue };
            let Some(gap) = latest.gap else { continue };
            let units = gap_view::units(&ind.unit);
            if let Some(short) = units.gap_short
                && !abbreviations
                    .iter()
                    .any(|a: &Abbreviation| a.short == short)
            {
                abbreviations.push(Abbreviation {
                    short,
                    full: units.gap.clone(),
                });
            }
            let england = g.national.as_ref().and_then(|n| n.gap_in(&latest.period));
            let versus = england.map(|e| (e, gaps::relative(gap, e, ind.tolerance)));
            let among = (!neighbours.is_empty())
                .then(|| gaps::among_neighbours(g, la, &neighbours, g.decimals))
                .flatten();
            if let Some(a) = &among {
                standings.push(Standing {
                    indicator: i,
                    rank: a.rank,
                    of: a.of,
                    above_median: a.gap - a.median,
                });
            }
            let spine = all.spread(i, &latest.period).map(|spread| {
                SpineRow {
                    label: &ind.short_title,
                    place,
                    own: gap,
                    england,
                    median: among.as_ref().map(|a| a.median),
                    spread,
                    decimals: g.decimals,
                }
                .svg()
            });
            let source = SourceView::of(ind);
            if !sources.contains(&source) {
                sources.push(source);
            }
            if latest_period.is_none_or(|p| p < &latest.period) {
                latest_period = Some(&latest.period);
            }
            let row = GlanceRow {
                title: ind.short_title.clone(),
                detail: self.site.href(&routes::authority_indicator(la, &ind.id)),
                period: latest.period.label(),
                gap: gap_view::number(gap, g.decimals),
                gap_unit: units.gap,
                gap_unit_short: units.gap_short,
                england: england.map(|e| gap_view::number(e, g.decimals)),
                versus_england: versus.map(|(e, r)| versus_england(gap, e, r, g.decimals)),
                versus_word: versus.map(|(_, r)| versus_word(r)),
                rank: among.as_ref().map(|a| a.rank),
                of: among.as_ref().map(|a| a.of),
                median: among
                    .as_ref()
                    .map(|a| gap_view::number(a.median, g.decimals)),
                trend: s.trend.as_ref().map(|t| t.direction.word()),
                spine,
            };
            let measured = ind.measures.groups();
            groups
                .entry(measured.iter().map(|g| tax.groups.rank(g)).collect())
                .or_insert_with(|| GlanceGroup {
                    id: format!(
                        "glance-{}",
                        measured
                            .iter()
                            .map(|g| g.as_str())
                            .collect::<Vec<_>>()
                            .join("-")
                    ),
                    name: in_words(measured.iter().map(|g| tax.groups.get(g).name.as_str())),
                    rows: Vec::new(),
                })
                .rows
                .push(row);
        }
        if groups.is_empty() {
            return None;
        }
        let ranked = !standings.is_empty();
        // The key is for the spines: a page with none has none.
        let key = if groups
            .values()
            .flat_map(|g| &g.rows)
            .any(|r| r.spine.is_some())
        {
            spine::key(place)
        } else {
            Vec::new()
        };
        Some(GlanceView {
            groups: groups.into_values().collect(),
            sources,
            latest: latest_period.map(|p| p.label()),
            abbreviations,
            key,
            widest: self.widest(la, standings),
            ranked,
        })
    }

    /// The indicators ranked worse than the middle of the council and its neighbours, worst
    /// first, each with the digest's practice for its group and outcome.
    fn widest(&self, la: &LaCode, mut standings: Vec<Standing>) -> Vec<Widest> {
        let tax = &self.site.taxonomies;
        // Worse than the middle: more of the council and its neighbours have a smaller gap
        // than have a larger one.
        standings.retain(|s| 2 * s.rank > s.of + 1);
        let share = |s: &Standing| (s.rank - 1) as f64 / (s.of - 1) as f64;
        standings.sort_by(|a, b| {
            share(b)
                .total_cmp(&share(a))
                .then_with(|| b.above_median.total_cmp(&a.above_median))
                .then_with(|| a.indicator.cmp(&b.indicator))
        });
        standings
            .iter()
            .take(WIDEST)
            .map(|s| {
                let ind = &self.site.data.indicators.list[s.indicator];
                let o = tax.outcomes.rank(&ind.outcome);
                let ranks: Vec<usize> = ind
                    .measures
                    .groups()
                    .iter()
                    .map(|g| tax.groups.rank(g))
                    .collect();
                // Each document once, though it may address several of the groups.
                let mut docs: Vec<_> = ranks
                    .iter()
                    .flat_map(|&r| self.facts.group_outcome[r][o].iter().copied())
                    .collect::<std::collections::BTreeSet<_>>()
                    .into_iter()
                    .collect();
                // A stable sort keeps the listing order among equals.
                docs.sort_by(|&a, &b| {
                    strength(&self.site.docs[b].kind).cmp(&strength(&self.site.docs[a].kind))
                });
                let cells = ranks
                    .iter()
                    .filter(|&&r| !self.facts.group_outcome[r][o].is_empty())
                    .map(|&r| LinkView {
                        title: tax.groups.terms()[r].name.clone(),
                        href: self.site.href(&MapRows::Groups.cell_url(r, o, self.site)),
                    })
                    .collect();
                Widest {
                    title: ind.title.clone(),
                    short_title: ind.short_title.clone(),
                    detail: self.site.href(&routes::authority_indicator(la, &ind.id)),
                    rank: s.rank,
                    of: s.of,
                    groups: self.group_links(&ind.measures),
                    outcome: self.link(
                        &tax.outcomes.get(&ind.outcome).name,
                        &routes::term(&ind.outcome),
                    ),
                    more: docs.len().saturating_sub(DOCUMENTS),
                    counts: self.practice_counts(&docs),
                    documents: docs.iter().take(DOCUMENTS).map(|&d| self.card(d)).collect(),
                    cells,
                }
            })
            .collect()
    }
}

/// How strong a document's evidence is, for ordering: any case study above any hypothesis,
/// and case studies by evidence level.
fn strength(kind: &Kind) -> (u8, u8) {
    match kind {
        Kind::CaseStudy(c) => (1, c.evidence_level.get()),
        _ => (0, 0),
    }
}
