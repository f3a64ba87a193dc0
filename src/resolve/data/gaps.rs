//! Gap series: for one indicator, each place's group and comparison values by year, the gap
//! between them, whether it narrowed, and how a local authority compares with its region,
//! England and the councils most like it. Pure functions of the selected rows.

use super::ees::{GeoLevel, PlaceKey, Table, TimePeriod, Value};
use super::indicators::Indicator;
use crate::diagnostic::{Bounded, Code, Diagnostic, Pos};
use crate::names::gss::GssCode;
use crate::resolve::authorities::LaCode;
use std::collections::BTreeMap;

/// One year of one place.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    pub period: TimePeriod,
    pub group: Value,
    pub comparison: Value,
    /// `None` when either value is missing: a break in the line, never zero.
    pub gap: Option<f64>,
}

/// One place's points, oldest first.
#[derive(Debug, Clone)]
pub struct Series {
    pub place: PlaceKey,
    pub points: Vec<Point>,
    pub trend: Option<Trend>,
}

impl Series {
    /// The most recent year that has a gap.
    pub fn latest(&self) -> Option<&Point> {
        self.points.iter().rev().find(|p| p.gap.is_some())
    }

    pub fn gap_in(&self, period: &TimePeriod) -> Option<f64> {
        self.points
            .iter()
            .find(|p| &p.period == period)
            .and_then(|p| p.gap)
    }
}

/// Which way a gap moved over the period shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Narrowed,
    Widened,
    Held,
}

impl Direction {
    pub fn word(self) -> &'static str {
        match self {
            Direction::Narrowed => "narrowed",
            Direction::Widened => "widened",
            Direction::Held => "held",
        }
    }
}

/// How a gap changed between the first and the last year in which it is known.
#[derive(Debug, Clone, PartialEq)]
pub struct Trend {
    pub direction: Direction,
    pub from: TimePeriod,
    pub to: TimePeriod,
    /// Last gap minus first gap: negative when it narrowed.
    pub change: f64,
    /// The comparison group's outcome got better over the same years.
    pub comparison_improved: bool,
}

impl Trend {
    /// "narrowed while outcomes for the comparison group improved" is the programme's test of
    /// real progress: closing a gap by levelling down does not count the same.
    pub fn narrowed_while_improving(&self) -> bool {
        self.direction == Direction::Narrowed && self.comparison_improved
    }
}

/// A positive gap always means the group is behind, whichever way the measure runs.
pub fn gap(group: Value, comparison: Value, higher_is_better: bool, decimals: u8) -> Option<f64> {
    let (g, c) = (group.number()?, comparison.number()?);
    Some(round(
        if higher_is_better { c - g } else { g - c },
        decimals,
    ))
}

/// Rounds to the source's decimal places, so differences of rounded figures print cleanly.
pub fn round(x: f64, decimals: u8) -> f64 {
    let scale = 10f64.powi(i32::from(decimals));
    let r = (x * scale).round() / scale;
    if r == 0.0 { 0.0 } else { r }
}

/// The trend over `points`, from the first to the last year with a gap; `None` with fewer
/// than two such years.
pub fn trend(
    points: &[Point],
    higher_is_better: bool,
    tolerance: f64,
    decimals: u8,
) -> Option<Trend> {
    let mut known = points.iter().filter(|p| p.gap.is_some());
    let first = known.next()?;
    let last = known.next_back()?;
    let change = round(last.gap? - first.gap?, decimals);
    let direction = if change.abs() < tolerance {
        Direction::Held
    } else if change < 0.0 {
        Direction::Narrowed
    } else {
        Direction::Widened
    };
    let (c0, c1) = (first.comparison.number()?, last.comparison.number()?);
    Some(Trend {
        direction,
        from: first.period.clone(),
        to: last.period.clone(),
        change,
        comparison_improved: if higher_is_better { c1 > c0 } else { c1 < c0 },
    })
}

/// How one gap stands against another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relative {
    Smaller,
    Similar,
    Larger,
}

impl Relative {
    pub fn word(self) -> &'static str {
        match self {
            Relative::Smaller => "smaller",
            Relative::Similar => "similar",
            Relative::Larger => "larger",
        }
    }

    /// The word with the preposition English wants after it.
    pub fn phrase(self) -> &'static str {
        match self {
            Relative::Smaller => "smaller than",
            Relative::Similar => "similar to",
            Relative::Larger => "larger than",
        }
    }
}

pub fn relative(gap: f64, other: f64, tolerance: f64) -> Relative {
    let d = gap - other;
    if d.abs() < tolerance {
        Relative::Similar
    } else if d < 0.0 {
        Relative::Smaller
    } else {
        Relative::Larger
    }
}

/// One indicator's series for every place, with the years they span.
#[derive(Debug, Clone, Default)]
pub struct IndicatorGaps {
    pub periods: Vec<TimePeriod>,
    pub decimals: u8,
    pub national: Option<Series>,
    /// By region code.
    pub regions: BTreeMap<GssCode, Series>,
    pub authorities: BTreeMap<LaCode, Series>,
}

impl IndicatorGaps {
    /// A local authority's region series, through the region its own rows name.
    pub fn region_of(&self, la: &Series) -> Option<&Series> {
        la.place
            .region_code
            .as_ref()
            .and_then(|c| self.regions.get(c))
    }
}

/// Where a local authority stands among its statistical neighbours in its latest year.
#[derive(Debug, Clone, PartialEq)]
pub struct AmongNeighbours {
    pub period: TimePeriod,
    pub gap: f64,
    /// 1 is the smallest gap of the authority and its neighbours with a figure that year.
    pub rank: usize,
    pub of: usize,
    pub median: f64,
    /// Neighbours whose own gap narrowed over the period, in neighbour rank order.
    pub narrowed: Vec<LaCode>,
}

pub fn among_neighbours(
    gaps: &IndicatorGaps,
    la: &LaCode,
    neighbours: &[LaCode],
    decimals: u8,
) -> Option<AmongNeighbours> {
    let own = gaps.authorities.get(la)?;
    let latest = own.latest()?;
    let gap = latest.gap?;
    let others: Vec<f64> = neighbours
        .iter()
        .filter_map(|n| gaps.authorities.get(n)?.gap_in(&latest.period))
        .collect();
    if others.is_empty() {
        return None;
    }
    Some(AmongNeighbours {
        period: latest.period.clone(),
        gap,
        rank: 1 + others.iter().filter(|&&o| o < gap).count(),
        of: others.len() + 1,
        median: round(median(&others), decimals),
        narrowed: neighbours
            .iter()
            .filter(|n| {
                gaps.authorities
                    .get(*n)
                    .and_then(|s| s.trend.as_ref())
                    .is_some_and(|t| t.direction == Direction::Narrowed)
            })
            .cloned()
            .collect(),
    })
}

/// How every authority's gap in one year spreads: the Fingertips spine chart's range and
/// middle half.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spread {
    pub min: f64,
    /// The lower and upper quartiles, linearly interpolated between ranked values.
    pub q1: f64,
    pub q3: f64,
    pub max: f64,
    /// How many authorities had a gap that year.
    pub count: usize,
}

impl Spread {
    /// The spread of the authorities' gaps in `period`, if any had one.
    pub fn of(gaps: &IndicatorGaps, period: &TimePeriod) -> Option<Spread> {
        let mut v: Vec<f64> = gaps
            .authorities
            .values()
            .filter_map(|s| s.gap_in(period))
            .collect();
        if v.is_empty() {
            return None;
        }
        v.sort_by(f64::total_cmp);
        let quantile = |p: f64| {
            let at = p * (v.len() - 1) as f64;
            let (lo, hi) = (at.floor() as usize, at.ceil() as usize);
            v[lo] + (v[hi] - v[lo]) * (at - lo as f64)
        };
        Some(Spread {
            min: v[0],
            q1: quantile(0.25),
            q3: quantile(0.75),
            max: v[v.len() - 1],
            count: v.len(),
        })
    }
}

fn median(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// The two values a place has in one year, with the rows they came from.
#[derive(Default)]
struct Pair {
    group: Option<(Value, usize)>,
    comparison: Option<(Value, usize)>,
}

/// The rows an indicator reads, resolved against its table: positions of its value and
/// filter columns and the ids of the filter values it picks.
#[derive(Debug, Clone)]
pub struct Selection {
    /// Position of the value column among the table's indicator columns.
    pub value: usize,
    /// Filters held fixed: (position among the table's filters, value id).
    pub fixed: Vec<(usize, u32)>,
    /// The filter that tells group from comparison, and the ids of the two.
    pub side: usize,
    pub group: u32,
    pub comparison: u32,
}

/// Computes every place's series from the rows `sel` picks. Two rows for the same place,
/// year and side are reported: one of them is a mistake, and picking either would hide it.
pub fn compute(
    ind: &Indicator,
    table: &Table,
    sel: &Selection,
    decimals: u8,
) -> Result<IndicatorGaps, Vec<Diagnostic>> {
    // By place index, then year.
    let mut places: BTreeMap<usize, BTreeMap<TimePeriod, Pair>> = BTreeMap::new();
    let mut diags = Vec::new();
    // A table of duplicated rows must not hold an error per row in memory.
    let mut bound = Bounded::new(&table.rel);
    for (r, row) in table.rows.iter().enumerate() {
        let ids = table.filter_ids(r);
        if !sel.fixed.iter().all(|&(f, id)| ids[f] == id) {
            continue;
        }
        let is_group = ids[sel.side] == sel.group;
        if !is_group && ids[sel.side] != sel.comparison {
            continue;
        }
        let pair = places
            .entry(row.place)
            .or_default()
            .entry(row.period.clone())
            .or_default();
        let slot = if is_group {
            &mut pair.group
        } else {
            &mut pair.comparison
        };
        if let Some((_, first)) = slot {
            let side = if is_group {
                &ind.filter.group.value
            } else {
                &ind.filter.comparison.value
            };
            let from = diags.len();
            diags.push(Diagnostic::at(
                Code::DuplicateGapRow,
                &table.rel,
                Pos::new(row.line, 1),
                format!(
                    "a second row for {} {} `{side}` (indicator `{}`); the first is on line {first}",
                    table.places[row.place].code,
                    row.period.code(),
                    ind.id
                ),
            ));
            bound.keep(&mut diags, from);
            continue;
        }
        *slot = Some((table.values(r)[sel.value], row.line));
    }
    bound.finish(&mut diags);
    if !diags.is_empty() {
        return Err(diags);
    }
    let mut out = IndicatorGaps {
        decimals,
        ..IndicatorGaps::default()
    };
    let mut periods = std::collections::BTreeSet::new();
    for (place, years) in places {
        let place = table.places[place].clone();
        let points: Vec<Point> = years
            .into_iter()
            .map(|(period, pair)| {
                // A side with no row at all is as missing as one marked `x`.
                let none = Value::Missing(super::ees::Missing::NotAvailable);
                let g = pair.group.map_or(none, |p| p.0);
                let c = pair.comparison.map_or(none, |p| p.0);
                periods.insert(period.clone());
                Point {
                    gap: gap(g, c, ind.higher_is_better, decimals),
                    period,
                    group: g,
                    comparison: c,
                }
            })
            .collect();
        let series = Series {
            trend: trend(&points, ind.higher_is_better, ind.tolerance, decimals),
            place,
            points,
        };
        match series.place.level {
            GeoLevel::National => out.national = Some(series),
            GeoLevel::Regional => {
                out.regions.insert(series.place.code.clone(), series);
            }
            GeoLevel::LocalAuthority => {
                if let Some(la) = series.place.la.clone() {
                    out.authorities.insert(la, series);
                }
            }
        }
    }
    out.periods = periods.into_iter().collect();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::super::ees::Missing;
    use super::*;

    fn period(code: &str) -> TimePeriod {
        TimePeriod::parse_academic(code)
    }

    fn points(rows: &[(&str, Option<f64>, Option<f64>)], higher_is_better: bool) -> Vec<Point> {
        rows.iter()
            .map(|&(p, g, c)| {
                let v =
                    |x: Option<f64>| x.map_or(Value::Missing(Missing::NotAvailable), Value::Number);
                Point {
                    period: period(p),
                    group: v(g),
                    comparison: v(c),
                    gap: gap(v(g), v(c), higher_is_better, 1),
                }
            })
            .collect()
    }

    #[test]
    fn a_positive_gap_means_the_group_is_behind_either_way() {
        let n = Value::Number;
        assert_eq!(gap(n(45.2), n(65.0), true, 1), Some(19.8));
        // Lower is better (say, absence): the group's higher rate is the gap.
        assert_eq!(gap(n(12.5), n(5.1), false, 1), Some(7.4));
        assert_eq!(
            gap(Value::Missing(Missing::Confidential), n(5.1), true, 1),
            None
        );
    }

    #[test]
    fn narrowing_needs_the_gap_to_shrink_by_more_than_the_tolerance() {
        let p = points(
            &[
                ("201516", Some(40.0), Some(60.0)),
                ("201617", None, Some(61.0)),
                ("201718", Some(45.0), Some(62.0)),
            ],
            true,
        );
        assert_eq!(p[1].gap, None, "a missing year is a break, not zero");
        let t = trend(&p, true, 1.0, 1).unwrap();
        assert_eq!(t.direction, Direction::Narrowed);
        assert_eq!(t.change, -3.0);
        assert_eq!(
            (t.from.label(), t.to.label()),
            ("2015/16".into(), "2017/18".into())
        );
        assert!(t.comparison_improved);
        assert!(t.narrowed_while_improving());
        assert_eq!(trend(&p, true, 5.0, 1).unwrap().direction, Direction::Held);
    }

    #[test]
    fn narrowing_by_levelling_down_is_not_improvement() {
        let p = points(
            &[
                ("201516", Some(40.0), Some(60.0)),
                ("201617", Some(40.0), Some(55.0)),
            ],
            true,
        );
        let t = trend(&p, true, 1.0, 1).unwrap();
        assert_eq!(t.direction, Direction::Narrowed);
        assert!(!t.narrowed_while_improving());
    }

    #[test]
    fn higher_is_worse_reverses_gap_and_improvement() {
        // Persistent absence: group 20 -> 18, comparison 10 -> 9. Gap 10 -> 9, held at 1.0
        // tolerance? No: a change of exactly the tolerance counts as a move.
        let p = points(
            &[
                ("201516", Some(20.0), Some(10.0)),
                ("201617", Some(18.0), Some(9.0)),
            ],
            false,
        );
        assert_eq!(p[0].gap, Some(10.0));
        let t = trend(&p, false, 1.0, 1).unwrap();
        assert_eq!(t.direction, Direction::Narrowed);
        assert!(
            t.comparison_improved,
            "a falling rate is an improvement here"
        );
        let worse = points(
            &[
                ("201516", Some(20.0), Some(10.0)),
                ("201617", Some(24.0), Some(11.0)),
            ],
            false,
        );
        let t = trend(&worse, false, 1.0, 1).unwrap();
        assert_eq!(t.direction, Direction::Widened);
        assert!(!t.comparison_improved);
    }

    #[test]
    fn one_year_has_no_trend() {
        let p = points(&[("202324", Some(40.0), Some(60.0))], true);
        assert_eq!(trend(&p, true, 1.0, 1), None);
        let all_missing = points(
            &[
                ("202223", None, Some(60.0)),
                ("202324", Some(40.0), Some(60.0)),
            ],
            true,
        );
        assert_eq!(trend(&all_missing, true, 1.0, 1), None);
    }

    #[test]
    fn comparisons_with_region_and_england() {
        assert_eq!(relative(15.0, 20.0, 1.0), Relative::Smaller);
        assert_eq!(relative(19.5, 20.0, 1.0), Relative::Similar);
        assert_eq!(relative(22.0, 20.0, 1.0), Relative::Larger);
    }

    #[test]
    fn medians() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
    }
}
