//! Reading the site's CSV data files (local authorities, gap tables and their meta files,
//! statistical neighbours) one way: the header, then every record with its line, each
//! malformed record reported at its line instead of stopping the read.

use crate::diagnostic::{Diagnostic, Pos};
use crate::suggest::did_you_mean;

/// A CSV file's header and its well-formed records.
pub struct Csv {
    pub headers: Vec<String>,
    /// Each record with its 1-based line in the file.
    pub records: Vec<(usize, csv::StringRecord)>,
}

impl Csv {
    /// Reads `text`. With `flexible`, records may have any number of fields (the caller
    /// checks them); without, a record of the wrong length is a diagnostic.
    pub fn read(
        rel: &str,
        text: &str,
        flexible: bool,
    ) -> Result<(Csv, Vec<Diagnostic>), Diagnostic> {
        let mut reader = csv::ReaderBuilder::new()
            .flexible(flexible)
            .from_reader(text.as_bytes());
        let headers = reader
            .headers()
            .map_err(|e| Diagnostic::at(rel, Pos::START, format!("cannot read header: {e}")))?
            .iter()
            .map(|h| h.trim().to_string())
            .collect();
        let mut records = Vec::new();
        let mut diags = Vec::new();
        for record in reader.into_records() {
            match record {
                Ok(r) => records.push((r.position().map_or(0, |p| p.line() as usize), r)),
                Err(e) => {
                    let pos = e
                        .position()
                        .map_or(Pos::START, |p| Pos::new(p.line() as usize, 1));
                    diags.push(Diagnostic::at(
                        rel,
                        pos,
                        format!("malformed row: {}", message(&e)),
                    ));
                }
            }
        }
        Ok((Csv { headers, records }, diags))
    }

    pub fn column(&self, name: &str) -> Option<usize> {
        self.headers.iter().position(|h| h == name)
    }

    /// The indexes of `names`, or an error for each one the header lacks.
    pub fn require<const N: usize>(
        &self,
        rel: &str,
        names: [&str; N],
    ) -> Result<[usize; N], Vec<Diagnostic>> {
        let found = names.map(|n| self.column(n));
        let missing: Vec<Diagnostic> = names
            .iter()
            .zip(&found)
            .filter(|(_, f)| f.is_none())
            .map(|(n, _)| {
                Diagnostic::at(rel, Pos::START, format!("missing column `{n}`"))
                    .with_help(did_you_mean(n, self.headers.iter().map(String::as_str)))
            })
            .collect();
        if missing.is_empty() {
            Ok(found.map(|f| f.unwrap_or_default()))
        } else {
            Err(missing)
        }
    }
}

/// A CSV error in words, without the csv crate's own position (diagnostics carry it).
fn message(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            format!(
                "found record with {len} fields, but the previous record has {expected_len} fields"
            )
        }
        csv::ErrorKind::Utf8 { .. } => "the row is not valid UTF-8".to_string(),
        _ => e.to_string(),
    }
}
