//! `data/statistical-neighbours.csv`: for each local authority, the ten most like it on DfE's
//! statistical neighbour model, so a council can compare itself with councils like it.

use crate::authorities::{Authorities, LaCode, csv_message};
use crate::diagnostic::{Diagnostic, Pos};
use crate::source::SourceFile;
use crate::suggest::did_you_mean;
use std::collections::BTreeMap;

#[derive(Debug, Clone)]
pub struct Neighbour {
    pub code: LaCode,
    pub rank: u8,
    /// DfE's closeness band, such as `Very Close`.
    pub closeness: Option<String>,
}

#[derive(Debug, Default)]
pub struct Neighbours {
    by_la: BTreeMap<LaCode, Vec<Neighbour>>,
}

impl Neighbours {
    /// An authority's neighbours, closest first.
    pub fn of(&self, la: &LaCode) -> &[Neighbour] {
        self.by_la.get(la).map_or(&[], Vec::as_slice)
    }

    /// Reads `code,rank,neighbour_code[,closeness]`; other columns (names) are allowed.
    pub fn parse(file: &SourceFile, las: &Authorities) -> Result<Neighbours, Vec<Diagnostic>> {
        let rel = file.rel.as_str();
        let mut reader = csv::ReaderBuilder::new().from_reader(file.text.as_bytes());
        let headers = reader
            .headers()
            .map_err(|e| {
                vec![Diagnostic::at(
                    rel,
                    Pos::START,
                    format!("cannot read header: {e}"),
                )]
            })?
            .clone();
        let col = |name: &str| headers.iter().position(|h| h.trim() == name);
        let missing: Vec<Diagnostic> = ["code", "rank", "neighbour_code"]
            .into_iter()
            .filter(|c| col(c).is_none())
            .map(|c| Diagnostic::at(rel, Pos::START, format!("missing column `{c}`")))
            .collect();
        if !missing.is_empty() {
            return Err(missing);
        }
        let (c_code, c_rank, c_neighbour) = (
            col("code").expect("checked"),
            col("rank").expect("checked"),
            col("neighbour_code").expect("checked"),
        );
        let c_close = col("closeness");
        let mut out = Neighbours::default();
        let mut diags = Vec::new();
        for record in reader.records() {
            let record = match record {
                Ok(r) => r,
                Err(e) => {
                    let pos = e
                        .position()
                        .map_or(Pos::START, |p| Pos::new(p.line() as usize, 1));
                    diags.push(Diagnostic::at(
                        rel,
                        pos,
                        format!("malformed row: {}", csv_message(&e)),
                    ));
                    continue;
                }
            };
            let line = record.position().map_or(0, |p| p.line() as usize);
            let field = |i: usize| record.get(i).unwrap_or("").trim();
            let mut code = |i: usize, what: &str| {
                let s = field(i);
                let la = las.code(s);
                if la.is_none() {
                    diags.push(
                        Diagnostic::at(
                            rel,
                            Pos::new(line, 1),
                            format!("{what} `{s}` is not in data/local-authorities.csv"),
                        )
                        .with_help(did_you_mean(s, las.codes())),
                    );
                }
                la
            };
            let (la, neighbour) = (code(c_code, "code"), code(c_neighbour, "neighbour_code"));
            let rank = match field(c_rank).parse::<u8>() {
                Ok(r) if r >= 1 => Some(r),
                _ => {
                    diags.push(Diagnostic::at(
                        rel,
                        Pos::new(line, 1),
                        format!("rank `{}` is not a whole number from 1", field(c_rank)),
                    ));
                    None
                }
            };
            if let (Some(la), Some(code), Some(rank)) = (la, neighbour, rank) {
                out.by_la.entry(la).or_default().push(Neighbour {
                    code,
                    rank,
                    closeness: c_close
                        .map(field)
                        .filter(|s| !s.is_empty())
                        .map(str::to_string),
                });
            }
        }
        for list in out.by_la.values_mut() {
            list.sort_by_key(|n| n.rank);
        }
        if diags.is_empty() {
            Ok(out)
        } else {
            Err(diags)
        }
    }
}
