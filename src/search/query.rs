//! `ntg search`: the query the website runs, answered by tantivy. Every query word must
//! match (in the title, boosted, or the body); filters narrow without changing scores.

use super::analyzer;
use super::index::Fields;
use crate::join::facets::Facet;
use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, ConstScoreQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{Index, TantivyDocument, Term};

/// Filter values per facet, in `Facet::ALL` order: values of one facet widen (OR), facets
/// narrow (AND).
pub type Filters = [Vec<String>; Facet::ALL.len()];

#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    /// The document's site path, as the website links it.
    pub url: String,
    pub title: String,
    pub score: f32,
    #[serde(skip)]
    pub doc: u32,
}

/// The query's terms, each once, in the order first written.
pub fn query_terms(text: &str) -> Vec<String> {
    let mut a = analyzer::analyzer();
    let mut terms: Vec<String> = Vec::new();
    for t in analyzer::terms(&mut a, text) {
        if !terms.contains(&t) {
            terms.push(t);
        }
    }
    terms
}

/// The top `limit` documents for `text` and `filters`, best first; equal scores in document
/// order, the same tie-break the browser uses.
pub fn search(
    index: &Index,
    fields: &Fields,
    text: &str,
    filters: &Filters,
    limit: usize,
) -> tantivy::Result<Vec<Hit>> {
    let terms = query_terms(text);
    if terms.is_empty() || limit == 0 {
        return Ok(Vec::new());
    }
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = terms
        .iter()
        .map(|t| {
            let per_field: Vec<(Occur, Box<dyn Query>)> = fields
                .text()
                .iter()
                .map(|&(field, boost)| {
                    let q: Box<dyn Query> = Box::new(TermQuery::new(
                        Term::from_field_text(field, t),
                        IndexRecordOption::WithFreqs,
                    ));
                    let q = if boost == 1.0 {
                        q
                    } else {
                        Box::new(BoostQuery::new(q, boost))
                    };
                    (Occur::Should, q)
                })
                .collect();
            (
                Occur::Must,
                Box::new(BooleanQuery::new(per_field)) as Box<dyn Query>,
            )
        })
        .collect();
    for (f, values) in Facet::ALL.iter().zip(filters) {
        if values.is_empty() {
            continue;
        }
        let any: Vec<(Occur, Box<dyn Query>)> = values
            .iter()
            .map(|v| {
                let term = Term::from_field_text(fields.facets[*f as usize], v);
                (
                    Occur::Should,
                    Box::new(TermQuery::new(term, IndexRecordOption::Basic)) as Box<dyn Query>,
                )
            })
            .collect();
        let filter = ConstScoreQuery::new(Box::new(BooleanQuery::new(any)), 0.0);
        clauses.push((Occur::Must, Box::new(filter)));
    }
    let query = BooleanQuery::new(clauses);
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let docs = searcher.num_docs() as usize;
    if docs == 0 {
        return Ok(Vec::new());
    }
    // Collect past the limit so that a tie at the last place is settled by document order
    // here, not by the collector's heap; never more than there are documents.
    let wanted = limit.saturating_mul(2).saturating_add(32).min(docs);
    let mut top = searcher.search(&query, &TopDocs::with_limit(wanted).order_by_score())?;
    top.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.doc_id.cmp(&b.1.doc_id)));
    top.truncate(limit);
    top.into_iter()
        .map(|(score, addr)| {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let text = |f| {
                doc.get_first(f)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_string()
            };
            Ok(Hit {
                url: text(fields.url),
                title: text(fields.title),
                score,
                doc: addr.doc_id,
            })
        })
        .collect()
}
