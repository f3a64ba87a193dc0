//! Gap data: EES tables (`ees`), the indicators that read them (`indicators`), the gap series
//! computed from them (`gaps`) and statistical neighbours (`neighbours`). Loaded and checked
//! once per build; every page that shows a gap reads the series computed here.

pub mod ees;
pub mod gaps;
pub mod indicators;
pub mod neighbours;

use crate::diagnostic::{Code, Diagnostic};
use crate::inputs::{Inputs, SourceFile};
use crate::resolve::authorities::Authorities;
use crate::resolve::taxonomy::Taxonomies;
use crate::suggest::did_you_mean;
use ees::Table;
use gaps::{IndicatorGaps, Selection};
use indicators::{Indicator, Indicators, Spanned};
use neighbours::Neighbours;
use rayon::prelude::*;
use std::collections::HashMap;

/// Decimal places shown when a meta file does not give them.
const DEFAULT_DECIMALS: u8 = 1;

/// Everything the site knows from its data files besides the vocabularies.
#[derive(Debug, Default)]
pub struct DataSet {
    pub indicators: Indicators,
    /// Each indicator's series, in `indicators.list` order.
    pub gaps: Vec<IndicatorGaps>,
    pub neighbours: Neighbours,
}

impl DataSet {
    /// Indicators with their series, in file order.
    pub fn each(&self) -> impl Iterator<Item = (&Indicator, &IndicatorGaps)> {
        self.indicators.list.iter().zip(&self.gaps)
    }
}

/// Which rows and columns of which gap tables measure which group and outcome.
pub const INDICATORS: &str = "data/indicators.yaml";

/// Reads data/indicators.yaml, if there is one, and checks it against the vocabularies.
pub fn read_indicators(
    inputs: &Inputs,
    taxonomies: &Taxonomies,
) -> Result<Indicators, Vec<Diagnostic>> {
    match inputs.optional(INDICATORS) {
        None => Ok(Indicators::default()),
        Some(file) => Indicators::parse(&file.map_err(|d| vec![d])?, taxonomies),
    }
}

/// Reads every gap file and the neighbours file, checks each indicator's rows, and computes
/// the gap series. Every problem in every file is returned beside what could be read, so
/// documents are still checked against the indicators.
pub fn load(
    inputs: &Inputs,
    indicators: &Indicators,
    authorities: &Authorities,
) -> (Loaded, Vec<Diagnostic>) {
    const GAPS: &str = "data/gaps";
    let mut diags = inputs.links_under(GAPS);
    let files: Vec<(&str, &[u8])> = inputs
        .files_under(GAPS)
        .filter(|(rel, _)| rel.ends_with(".csv") && !rel.ends_with(".meta.csv"))
        .collect();
    // The name indicators.yaml gives a file by: its path below data/.
    let key = |rel: &str| rel.strip_prefix("data/").unwrap_or(rel).to_string();
    let tables: Vec<(String, Result<Table, Vec<Diagnostic>>)> = files
        .par_iter()
        .map(|&(rel, bytes)| {
            let name = key(rel);
            let columns: Vec<&str> = indicators
                .list
                .iter()
                .filter(|i| i.file.value == name)
                .map(|i| i.column.value.as_str())
                .collect();
            let table = read_table(inputs, rel, bytes, &columns, authorities);
            (name, table)
        })
        .collect();
    let mut by_name: HashMap<&str, Option<&Table>> = HashMap::new();
    for (name, t) in &tables {
        match t {
            Ok(t) => {
                by_name.insert(name, Some(t));
            }
            Err(d) => {
                diags.extend(d.iter().cloned());
                // Known, but too broken to check indicators against.
                by_name.insert(name, None);
            }
        }
    }
    let rel = "data/indicators.yaml";
    let results: Vec<Result<IndicatorGaps, Vec<Diagnostic>>> = indicators
        .list
        .par_iter()
        .map(|ind| {
            let table = match by_name.get(ind.file.value.as_str()) {
                Some(Some(t)) => *t,
                Some(None) => return Ok(IndicatorGaps::default()),
                None => {
                    let help = did_you_mean(&ind.file.value, by_name.keys().copied()).or_else(|| {
                        Some("gap files live in data/gaps/; name them from data/, as `gaps/file.csv`".into())
                    });
                    return Err(vec![
                        Diagnostic::at(Code::UnknownGapFile, rel, ind.file.pos, format!("unknown gap file `{}`", ind.file.value))
                            .with_help(help),
                    ]);
                }
            };
            let selection = check_rows(rel, ind, table)?;
            let decimals = table
                .meta
                .get(&ind.column.value)
                .and_then(|m| m.decimals)
                .unwrap_or(DEFAULT_DECIMALS);
            gaps::compute(ind, table, &selection, decimals)
        })
        .collect();
    let mut series = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Ok(s) => series.push(s),
            Err(d) => {
                diags.extend(d);
                series.push(IndicatorGaps::default());
            }
        }
    }
    let neighbours = read_neighbours(inputs, authorities);
    let neighbours = match neighbours {
        Ok(n) => n,
        Err(d) => {
            diags.extend(d);
            Neighbours::default()
        }
    };
    (
        Loaded {
            gaps: series,
            neighbours,
        },
        diags,
    )
}

/// What `load` reads besides the indicators themselves.
pub struct Loaded {
    pub gaps: Vec<IndicatorGaps>,
    pub neighbours: Neighbours,
}

impl Loaded {
    pub fn with(self, indicators: Indicators) -> DataSet {
        DataSet {
            indicators,
            gaps: self.gaps,
            neighbours: self.neighbours,
        }
    }
}

fn read_table(
    inputs: &Inputs,
    rel: &str,
    bytes: &[u8],
    columns: &[&str],
    authorities: &Authorities,
) -> Result<Table, Vec<Diagnostic>> {
    let file = SourceFile::decode(rel, bytes).map_err(|d| vec![d])?;
    let meta_rel = format!("{}.meta.csv", rel.strip_suffix(".csv").unwrap_or(rel));
    let meta = match inputs.optional(&meta_rel) {
        Some(m) => {
            let m = m.map_err(|d| vec![d])?;
            ees::parse_meta(&m.rel, &m.text)?
        }
        None => HashMap::new(),
    };
    Table::parse(&file.rel, &file.text, meta, columns, authorities)
}

fn read_neighbours(
    inputs: &Inputs,
    authorities: &Authorities,
) -> Result<Neighbours, Vec<Diagnostic>> {
    match inputs.optional("data/statistical-neighbours.csv") {
        None => Ok(Neighbours::default()),
        Some(file) => Neighbours::parse(&file.map_err(|d| vec![d])?, authorities),
    }
}

/// Checks that the columns and filter values an indicator names are in its table, and
/// resolves them to the rows it reads.
fn check_rows(rel: &str, ind: &Indicator, table: &Table) -> Result<Selection, Vec<Diagnostic>> {
    let mut diags = Vec::new();
    let indicator_cols: Vec<&str> = table
        .indicators
        .iter()
        .map(|&i| table.columns[i].as_str())
        .collect();
    let value = indicator_cols.iter().position(|c| *c == ind.column.value);
    if value.is_none() {
        let message = if table.column(&ind.column.value).is_some() {
            format!(
                "`{}` is not an indicator column of {}",
                ind.column.value, table.rel
            )
        } else {
            format!("{} has no column `{}`", table.rel, ind.column.value)
        };
        diags.push(
            Diagnostic::at(Code::UnknownGapColumn, rel, ind.column.pos, message).with_help(
                did_you_mean(&ind.column.value, indicator_cols.iter().copied()),
            ),
        );
    }
    // A filter column and the ids of `values` in it; every name it lacks is reported.
    let mut filter = |column: &Spanned, values: &[&Spanned]| -> Option<(usize, Vec<u32>)> {
        let Some((f, col)) = table.filter(&column.value) else {
            diags.push(
                Diagnostic::at(
                    Code::UnknownFilterColumn,
                    rel,
                    column.pos,
                    format!("{} has no filter column `{}`", table.rel, column.value),
                )
                .with_help(did_you_mean(
                    &column.value,
                    table.filters.iter().map(|f| f.name.as_str()),
                )),
            );
            return None;
        };
        let mut ids = Vec::new();
        for v in values {
            match col.id(&v.value) {
                Some(id) => ids.push(id),
                None => diags.push(
                    Diagnostic::at(
                        Code::NoMatchingRows,
                        rel,
                        v.pos,
                        format!(
                            "no row of {} has `{}` = `{}`",
                            table.rel, column.value, v.value
                        ),
                    )
                    .with_help(did_you_mean(&v.value, col.values())),
                ),
            }
        }
        (ids.len() == values.len()).then_some((f, ids))
    };
    let fixed: Vec<Option<(usize, u32)>> = ind
        .filter
        .fixed
        .iter()
        .map(|(k, v)| filter(k, &[v]).map(|(f, ids)| (f, ids[0])))
        .collect();
    let side = filter(
        &ind.filter.column,
        &[&ind.filter.group, &ind.filter.comparison],
    );
    match (value, side, fixed.into_iter().collect::<Option<Vec<_>>>()) {
        (Some(value), Some((side, ids)), Some(fixed)) if diags.is_empty() => Ok(Selection {
            value,
            fixed,
            side,
            group: ids[0],
            comparison: ids[1],
        }),
        _ => Err(diags),
    }
}
