//! Each document as the analyzer sees it: the terms of its title and body with their
//! frequencies, and the lower-cased words it is written in (for "did you mean"). This is
//! the costly part of indexing, a pure function of a document's title and text, so a build
//! keeps it by that key and the next analyses only what changed.

use super::analyzer;
use super::doc::SearchDoc;
use rustc_hash::FxHashMap as HashMap;

/// The two text fields, in the order `index::Fields::text` scores them.
pub const TEXT_FIELDS: usize = 2;

/// The body's place among the text fields (the title is first).
pub const BODY: usize = 1;

/// Terms and words interned once for every document: documents name them by number, so
/// keeping and inverting them moves numbers, not strings.
#[derive(Default)]
pub struct Dictionary {
    terms: Vec<String>,
    term_ids: HashMap<String, u32>,
    words: Vec<String>,
    word_ids: HashMap<String, u32>,
    /// The term each word is analysed as, if any (a stop word has none).
    word_terms: Vec<Option<u32>>,
}

impl Dictionary {
    /// A dictionary of `terms`, and of `words` each with the term it is analysed as;
    /// `None` if a word names a term that is not there.
    pub fn from_parts(terms: Vec<String>, words: Vec<(String, Option<u32>)>) -> Option<Self> {
        let n = terms.len() as u32;
        if words.iter().any(|(_, t)| t.is_some_and(|t| t >= n)) {
            return None;
        }
        let term_ids = terms
            .iter()
            .enumerate()
            .map(|(i, t)| (t.clone(), i as u32))
            .collect();
        let (words, word_terms): (Vec<String>, Vec<Option<u32>>) = words.into_iter().unzip();
        let word_ids = words
            .iter()
            .enumerate()
            .map(|(i, w)| (w.clone(), i as u32))
            .collect();
        Some(Dictionary {
            terms,
            term_ids,
            words,
            word_ids,
            word_terms,
        })
    }

    pub fn term(&self, id: u32) -> &str {
        &self.terms[id as usize]
    }

    pub fn word(&self, id: u32) -> &str {
        &self.words[id as usize]
    }

    pub fn word_term(&self, id: u32) -> Option<u32> {
        self.word_terms[id as usize]
    }

    pub fn terms(&self) -> usize {
        self.terms.len()
    }

    pub fn words(&self) -> usize {
        self.words.len()
    }

    fn term_id(&mut self, term: String) -> u32 {
        if let Some(&id) = self.term_ids.get(&term) {
            return id;
        }
        let id = self.terms.len() as u32;
        self.terms.push(term.clone());
        self.term_ids.insert(term, id);
        id
    }

    fn word_id(&mut self, word: String, analyzer: &mut tantivy::tokenizer::TextAnalyzer) -> u32 {
        if let Some(&id) = self.word_ids.get(&word) {
            return id;
        }
        let term = analyzer::terms(analyzer, &word)
            .pop()
            .map(|t| self.term_id(t));
        let id = self.words.len() as u32;
        self.words.push(word.clone());
        self.word_ids.insert(word, id);
        self.word_terms.push(term);
        id
    }
}

/// One document's analysis, in a dictionary's numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Analysed {
    /// Per text field, each term with its frequency, in the terms' byte order.
    pub fields: [Vec<(u32, u32)>; TEXT_FIELDS],
    /// Each lower-cased word of title and text with how often it occurs, in byte order.
    pub words: Vec<(u32, u32)>,
}

impl Analysed {
    /// How many tokens field `f` holds: what tantivy records as its field norm.
    pub fn len(&self, f: usize) -> u32 {
        self.fields[f].iter().map(|&(_, tf)| tf).sum()
    }
}

/// Surface words ("did you mean") are gathered from this many documents, the first in the
/// export's order: enough to name nearly every term, without counting a large site's words.
pub const SURFACE_SAMPLE: usize = 4000;

/// The key an analysis is kept under: it depends on the title and text alone, and on
/// whether the document's words were counted (only for the first `SURFACE_SAMPLE`).
pub fn key(doc: &SearchDoc, words: bool) -> u128 {
    crate::names::hash::Hasher::new()
        .part(&[u8::from(words)])
        .part(doc.title.as_bytes())
        .part(doc.text.as_bytes())
        .finish()
        .as_u128()
}

/// A document's analysis before interning, so that documents are analysed in parallel.
pub struct Fresh {
    fields: [Vec<(String, u32)>; TEXT_FIELDS],
    words: Vec<(String, u32)>,
}

/// Counts strings, allocating one only the first time it is seen: a document repeats its
/// words, and a string per occurrence was most of the analysis's time.
#[derive(Default)]
struct Counts(HashMap<String, u32>);

impl Counts {
    fn add(&mut self, s: &str) {
        match self.0.get_mut(s) {
            Some(n) => *n += 1,
            None => {
                self.0.insert(s.to_string(), 1);
            }
        }
    }

    /// Each string with its count, sorted by bytes.
    fn sorted(self) -> Vec<(String, u32)> {
        let mut v: Vec<(String, u32)> = self.0.into_iter().collect();
        v.sort_unstable();
        v
    }
}

/// Analyses one document with `a`, an analyzer that each thread keeps across documents, so
/// that its stems are remembered from one document to the next.
/// Its words are counted only with `words`.
pub fn analyse(a: &mut tantivy::tokenizer::TextAnalyzer, doc: &SearchDoc, words: bool) -> Fresh {
    let fields = [&doc.title, &doc.text].map(|t| {
        let mut counts = Counts::default();
        let mut stream = a.token_stream(t);
        while stream.advance() {
            counts.add(&stream.token().text);
        }
        counts.sorted()
    });
    let mut counts = Counts::default();
    if words {
        for t in [&doc.title, &doc.text] {
            analyzer::each_lower_word(t, |w| counts.add(w));
        }
    }
    Fresh {
        fields,
        words: counts.sorted(),
    }
}

impl Fresh {
    /// Names this analysis's terms and words in `dict`, adding those it lacks (analysing a
    /// new word with `a`).
    pub fn intern(
        self,
        dict: &mut Dictionary,
        a: &mut tantivy::tokenizer::TextAnalyzer,
    ) -> Analysed {
        let fields = self.fields.map(|f| {
            f.into_iter()
                .map(|(t, n)| (dict.term_id(t), n))
                .collect::<Vec<_>>()
        });
        let words = self
            .words
            .into_iter()
            .map(|(w, n)| (dict.word_id(w, a), n))
            .collect();
        Analysed { fields, words }
    }
}

/// The most common surface word of each term (by term id) in `docs`: what "did you mean"
/// shows for a term. Ties go to the alphabetically first word, so the choice is the same
/// on every build.
pub fn surfaces(dict: &Dictionary, docs: &[&Analysed]) -> Vec<Option<u32>> {
    let mut counts = vec![0u32; dict.words()];
    for d in docs {
        for &(w, n) in &d.words {
            counts[w as usize] += n;
        }
    }
    let mut best: Vec<Option<(u32, u32)>> = vec![None; dict.terms()];
    for (w, &n) in counts.iter().enumerate().filter(|(_, n)| **n > 0) {
        let w = w as u32;
        let Some(t) = dict.word_term(w) else {
            continue;
        };
        let slot = &mut best[t as usize];
        let better = match *slot {
            None => true,
            Some((m, other)) => n > m || (n == m && dict.word(w) < dict.word(other)),
        };
        if better {
            *slot = Some((n, w));
        }
    }
    best.into_iter().map(|b| b.map(|(_, w)| w)).collect()
}
