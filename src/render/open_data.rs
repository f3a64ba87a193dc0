//! Open data out: every computed series as JSON and CSV under `/data/`, in the shapes
//! CONTENT-FORMAT.md gives, so anyone can reuse the figures the pages chart.
//!
//! A missing value is `null` in JSON; in CSV it keeps DfE's symbol (`x`, `c`, ...), as the
//! source files do, so its meaning is not lost. A gap with a missing side carries that side's
//! symbol.

use crate::resolve::authorities::{Authorities, LaCode};
use crate::resolve::data::DataSet;
use crate::resolve::data::ees::Value;
use crate::resolve::data::gaps::{IndicatorGaps, Series};
use crate::resolve::data::indicators::Indicator;
use serde::Serialize;

#[derive(Serialize)]
struct PointOut<'a> {
    time_period: String,
    group_value: Option<f64>,
    comparison_value: Option<f64>,
    gap: Option<f64>,
    #[serde(skip)]
    raw: (&'a Value, &'a Value),
}

#[derive(Serialize)]
struct PlaceOut<'a> {
    code: &'a str,
    name: &'a str,
    level: &'static str,
    series: Vec<PointOut<'a>>,
}

#[derive(Serialize)]
struct IndicatorOut<'a> {
    id: &'a str,
    title: &'a str,
    unit: &'a str,
    higher_is_better: bool,
    comparison_label: &'a str,
    source: Option<&'a str>,
    licence: Option<&'a str>,
    places: Vec<PlaceOut<'a>>,
}

#[derive(Serialize)]
struct AuthorityIndicator<'a> {
    id: &'a str,
    title: &'a str,
    places: Vec<PlaceOut<'a>>,
}

#[derive(Serialize)]
struct AuthorityOut<'a> {
    code: &'a str,
    name: &'a str,
    region: &'a str,
    indicators: Vec<AuthorityIndicator<'a>>,
}

fn place(s: &Series) -> PlaceOut<'_> {
    PlaceOut {
        code: s.place.code.as_str(),
        name: &s.place.name,
        level: s.place.level.as_str(),
        series: s
            .points
            .iter()
            .map(|p| PointOut {
                time_period: p.period.code(),
                group_value: p.group.number(),
                comparison_value: p.comparison.number(),
                gap: p.gap,
                raw: (&p.group, &p.comparison),
            })
            .collect(),
    }
}

/// England, the regions, then every local authority, each in code order.
fn all_places(g: &IndicatorGaps) -> Vec<PlaceOut<'_>> {
    g.national
        .iter()
        .chain(g.regions.values())
        .chain(g.authorities.values())
        .map(place)
        .collect()
}

/// The authority, its region and England, where each has figures.
fn authority_places<'a>(g: &'a IndicatorGaps, la: &LaCode) -> Option<Vec<PlaceOut<'a>>> {
    let own = g.authorities.get(la)?;
    Some(
        std::iter::once(own)
            .chain(g.region_of(own))
            .chain(g.national.as_ref())
            .map(place)
            .collect(),
    )
}

fn cell(v: &Value) -> String {
    match v {
        Value::Number(n) => n.to_string(),
        Value::Missing(m) => m.symbol().to_string(),
    }
}

/// A text cell as a spreadsheet will show it, not run it: one that starts like a formula
/// (`=`, `+`, `-`, `@`, or a tab or carriage return before one) gets a leading `'`, as
/// OWASP advises, since council staff open these files in Excel and a place name comes from
/// a gap file. Numbers are written by ntg and never pass here.
fn csv_text(s: &str) -> std::borrow::Cow<'_, str> {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{s}"))
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

fn csv_rows(out: &mut csv::Writer<Vec<u8>>, lead: &[&str], places: &[PlaceOut]) {
    for p in places {
        for pt in &p.series {
            let gap = match pt.gap {
                Some(g) => g.to_string(),
                None => match pt.raw {
                    (Value::Missing(_), _) => cell(pt.raw.0),
                    _ => cell(pt.raw.1),
                },
            };
            let mut record: Vec<String> = lead.iter().map(|s| csv_text(s).into()).collect();
            record.extend([
                csv_text(p.code).into(),
                csv_text(p.name).into(),
                p.level.to_string(),
                pt.time_period.clone(),
                cell(pt.raw.0),
                cell(pt.raw.1),
                gap,
            ]);
            // Writing to memory cannot fail.
            let _ = out.write_record(&record);
        }
    }
}

const CSV_HEADER: [&str; 7] = [
    "code",
    "name",
    "level",
    "time_period",
    "group_value",
    "comparison_value",
    "gap",
];

fn finish(w: csv::Writer<Vec<u8>>) -> Vec<u8> {
    w.into_inner().unwrap_or_default()
}

fn json<T: Serialize>(value: &T) -> Vec<u8> {
    let mut bytes = serde_json::to_vec(value).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

/// An indicator's files: (`data/indicators/<id>.json`, bytes) and its `.csv`.
pub fn indicator_files(ind: &Indicator, g: &IndicatorGaps) -> [(String, Vec<u8>); 2] {
    let places = all_places(g);
    let doc = IndicatorOut {
        id: ind.id.as_str(),
        title: &ind.title,
        unit: &ind.unit,
        higher_is_better: ind.higher_is_better,
        comparison_label: &ind.comparison_label,
        source: ind.source.as_deref(),
        licence: ind.licence.as_deref(),
        places,
    };
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(CSV_HEADER);
    csv_rows(&mut w, &[], &doc.places);
    let base = crate::resolve::routes::indicator_data(&ind.id);
    [
        (format!("{base}.json"), json(&doc)),
        (format!("{base}.csv"), finish(w)),
    ]
}

/// A local authority's files, with every indicator that has figures for it.
pub fn authority_files(data: &DataSet, las: &Authorities, code: &LaCode) -> [(String, Vec<u8>); 2] {
    let la = las.get(code);
    let indicators: Vec<AuthorityIndicator> = data
        .each()
        .filter_map(|(ind, g)| {
            Some(AuthorityIndicator {
                id: ind.id.as_str(),
                title: &ind.title,
                places: authority_places(g, code)?,
            })
        })
        .collect();
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(std::iter::once("indicator").chain(CSV_HEADER));
    for i in &indicators {
        csv_rows(&mut w, &[i.id], &i.places);
    }
    let doc = AuthorityOut {
        code: code.as_str(),
        name: &la.name,
        region: &la.region,
        indicators,
    };
    let base = crate::resolve::routes::authority_data(code);
    [
        (format!("{base}.json"), json(&doc)),
        (format!("{base}.csv"), finish(w)),
    ]
}

/// Every open-data file of the site: each indicator's, then each local authority's that has
/// figures, as (site path, bytes), made in parallel.
pub fn all(data: &DataSet, las: &Authorities) -> Vec<(String, Vec<u8>)> {
    use rayon::prelude::*;
    let codes: std::collections::BTreeSet<&LaCode> = data
        .gaps
        .iter()
        .flat_map(|g| g.authorities.keys())
        .collect();
    let codes: Vec<&LaCode> = codes.into_iter().collect();
    let indicators: Vec<(String, Vec<u8>)> = data
        .each()
        .collect::<Vec<_>>()
        .par_iter()
        .flat_map_iter(|(ind, g)| indicator_files(ind, g))
        .collect();
    let authorities: Vec<(String, Vec<u8>)> = codes
        .par_iter()
        .flat_map_iter(|code| authority_files(data, las, code))
        .collect();
    indicators.into_iter().chain(authorities).collect()
}
