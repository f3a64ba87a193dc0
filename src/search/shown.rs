//! What `ntg search` shows of each result, and the spelling it offers for a word that
//! matches nothing. Both are read from the build's static export in the output, the files
//! the browser client reads, with the client's algorithms (`static/search/engine.js`:
//! `excerpt`, `suggest`, `corrected`), so the terminal and the page show the same.

use super::analyzer;
use super::query::{Hit, query_terms};
use super::reuse::Reader;
use serde::{Deserialize, Serialize};
use std::io::Read;
use std::path::{Path, PathBuf};

/// How many words an excerpt shows, as the browser's `excerpt` does by default.
const EXCERPT_WORDS: usize = 30;

/// A build's export in its output, as far as results need it.
pub struct Exported {
    dir: PathBuf,
    meta: Meta,
}

/// The parts of `meta.bin` results need (the rest is the browser's).
#[derive(Deserialize)]
struct Meta {
    shards: Vec<String>,
    #[serde(default)]
    councils: Vec<String>,
    #[serde(default)]
    standings: Vec<String>,
}

/// The parts of `d/<doc>.bin` results need.
#[derive(Deserialize)]
struct Fragment {
    y: String,
    #[serde(default)]
    c: Vec<u32>,
    #[serde(default)]
    e: Vec<u32>,
    x: String,
}

/// One result as `ntg search` prints it.
#[derive(Debug, Clone, Serialize)]
pub struct Shown {
    /// The document's site path, as the website links it.
    pub url: String,
    /// The document's title.
    pub title: String,
    /// Its BM25 score, as the browser computes it too.
    pub score: f32,
    /// "Case study", "Hypothesis", "Evidence submission" or "Page".
    #[serde(rename = "type")]
    pub kind: String,
    /// The local authorities the document is from, by name.
    pub councils: Vec<String>,
    /// Its evidence level and status, worded as its page words them.
    pub standing: Vec<String>,
    /// The passage of its text with the most query words, as the browser shows it.
    pub excerpt: String,
}

/// `ntg search`'s answer to one query.
#[derive(Debug, Clone)]
pub struct Answer {
    /// The top results, best first.
    pub results: Vec<Shown>,
    /// The query with each word that matches nothing replaced by the word the browser
    /// suggests for it, if it suggests any.
    pub suggestion: Option<String>,
    /// Were filters chosen? With no results, leaving them out may give some.
    pub filtered: bool,
}

/// One term of a shard, as "did you mean" weighs it.
struct ShardTerm {
    term: String,
    surface: Option<String>,
    /// Postings over every field: how common the term is.
    postings: u64,
}

impl Exported {
    /// The export of the build whose id is `id`, in the output `out`.
    pub fn open(out: &Path, id: &str) -> Result<Exported, String> {
        let dir = out.join("search").join(id);
        let bytes = read(&dir, "meta.bin")?;
        let meta = serde_json::from_slice(&bytes)
            .map_err(|e| format!("cannot read {}: {e}", dir.join("meta.bin").display()))?;
        Ok(Exported { dir, meta })
    }

    /// The answer to `query` whose hits are `hits`.
    pub fn answer(&self, query: &str, hits: Vec<Hit>, filtered: bool) -> Result<Answer, String> {
        let terms = query_terms(query);
        // Every word must match, so a word that matches nothing leaves no hits: a query
        // with hits needs no suggestion, and no shard is read for one.
        let suggestion = match hits.is_empty() {
            true => self.suggestion(query)?,
            false => None,
        };
        let results = hits
            .into_iter()
            .map(|h| self.shown(h, &terms))
            .collect::<Result<_, _>>()?;
        Ok(Answer {
            results,
            suggestion,
            filtered,
        })
    }

    /// What a result shows of `hit`, its excerpt cut around `terms`.
    fn shown(&self, hit: Hit, terms: &[String]) -> Result<Shown, String> {
        let path = format!("d/{}.bin", hit.doc);
        let fragment: Fragment = serde_json::from_slice(&read(&self.dir, &path)?)
            .map_err(|e| format!("cannot read {}: {e}", self.dir.join(&path).display()))?;
        let named = |numbers: &[u32], names: &[String]| -> Vec<String> {
            numbers
                .iter()
                .filter_map(|&n| names.get(n as usize).cloned())
                .collect()
        };
        Ok(Shown {
            councils: named(&fragment.c, &self.meta.councils),
            standing: named(&fragment.e, &self.meta.standings),
            excerpt: excerpt(&fragment.x, terms, EXCERPT_WORDS),
            kind: fragment.y,
            url: hit.url,
            title: hit.title,
            score: hit.score,
        })
    }

    /// The browser's "did you mean" for `query`: each word whose term the index lacks
    /// replaced by the suggestion for it, if there is one for any.
    fn suggestion(&self, query: &str) -> Result<Option<String>, String> {
        let mut a = analyzer::analyzer();
        let mut seen: Vec<String> = Vec::new();
        let mut fixes: Vec<(String, String)> = Vec::new();
        for word in analyzer::lower_words(query) {
            let Some(term) = analyzer::terms(&mut a, &word).pop() else {
                continue;
            };
            if seen.contains(&term) {
                continue;
            }
            let shard = self.shard(&term)?;
            if !shard.iter().any(|t| t.term == term)
                && let Some(s) = suggest(&word, &shard)
            {
                fixes.push((word, s));
            }
            seen.push(term);
        }
        Ok((!fixes.is_empty()).then(|| corrected(query, &fixes)))
    }

    /// The terms of the shard `term` falls in: the last whose first term is not after it.
    fn shard(&self, term: &str) -> Result<Vec<ShardTerm>, String> {
        if self.meta.shards.is_empty() {
            return Ok(Vec::new());
        }
        let i = self
            .meta
            .shards
            .partition_point(|first| first.as_str() <= term)
            .saturating_sub(1);
        let path = format!("t/{i}.bin");
        let bytes = read(&self.dir, &path)?;
        shard_terms(&bytes).ok_or_else(|| format!("{} is damaged", self.dir.join(&path).display()))
    }
}

/// The file `rel` of the export in `dir`, inflated (the build gzips every file).
fn read(dir: &Path, rel: &str) -> Result<Vec<u8>, String> {
    let path = dir.join(rel);
    let cannot = |e: std::io::Error| {
        format!(
            "cannot read {} (the search export of the site): {e}; run `ntg build` again",
            path.display()
        )
    };
    let bytes = std::fs::read(&path).map_err(cannot)?;
    if !bytes.starts_with(&[0x1f, 0x8b]) {
        return Ok(bytes);
    }
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes.as_slice())
        .read_to_end(&mut out)
        .map_err(cannot)?;
    Ok(out)
}

/// A shard's terms as `export` writes them (front-coded term, surface word, field mask,
/// then per field its weight and postings), keeping what "did you mean" weighs.
fn shard_terms(bytes: &[u8]) -> Option<Vec<ShardTerm>> {
    let mut r = Reader { bytes };
    let n = r.count()?;
    let mut terms = Vec::with_capacity(n);
    let mut previous: Vec<u8> = Vec::new();
    for _ in 0..n {
        let shared = usize::try_from(r.varint()?).ok()?;
        let rest = usize::try_from(r.varint()?).ok()?;
        let mut key = previous.get(..shared)?.to_vec();
        key.extend_from_slice(r.take(rest)?);
        let code = usize::try_from(r.varint()?).ok()?;
        let surface = match code {
            0 => None,
            _ => {
                let tail = usize::try_from(r.varint()?).ok()?;
                let mut s = key.get(..code - 1)?.to_vec();
                s.extend_from_slice(r.take(tail)?);
                Some(String::from_utf8(s).ok()?)
            }
        };
        let mask = *r.take(1)?.first()?;
        let mut postings = 0u64;
        for _ in 0..mask.count_ones() {
            r.take(4)?;
            let df = r.count()?;
            // Doc deltas and frequencies are varints, norms one byte each.
            for _ in 0..2 * df {
                r.varint()?;
            }
            r.take(df)?;
            postings += df as u64;
        }
        terms.push(ShardTerm {
            term: String::from_utf8(key.clone()).ok()?,
            surface,
            postings,
        });
        previous = key;
    }
    Some(terms)
}

/// The engine's `suggest`: the surface word of the term of `shard` (the one the word's term
/// falls in) nearest `word`, within one edit for a short word and two for a longer one,
/// the most common of the nearest.
fn suggest(word: &str, shard: &[ShardTerm]) -> Option<String> {
    // Lengths and edits count UTF-16 units, as the browser's strings do.
    let w: Vec<u16> = word.encode_utf16().collect();
    let max = if w.len() > 4 { 2 } else { 1 };
    let mut best: Option<(usize, u64, &str)> = None;
    for t in shard {
        let Some(surface) = &t.surface else { continue };
        // Near the word the term is most often written as, or near the term itself.
        let s: Vec<u16> = surface.encode_utf16().collect();
        let k: Vec<u16> = t.term.encode_utf16().collect();
        let d = distance(&w, &s).min(distance(&w, &k));
        let better = match best {
            None => true,
            Some((bd, bdf, _)) => d < bd || (d == bd && t.postings > bdf),
        };
        if d <= max && better {
            best = Some((d, t.postings, surface));
        }
    }
    best.map(|(_, _, s)| s.to_string())
}

/// The engine's `distance`: edits between `a` and `b`, a swap of neighbours counting one.
fn distance(a: &[u16], b: &[u16]) -> usize {
    let n = b.len();
    let mut d: Vec<usize> = (0..=n).collect();
    let mut prev2: Option<Vec<usize>> = None;
    for i in 1..=a.len() {
        let mut row = vec![i];
        for j in 1..=n {
            let mut v = (d[j] + 1)
                .min(row[j - 1] + 1)
                .min(d[j - 1] + usize::from(a[i - 1] != b[j - 1]));
            if let Some(p) = &prev2
                && i > 1
                && j > 1
                && a[i - 1] == b[j - 2]
                && a[i - 2] == b[j - 1]
            {
                v = v.min(p[j - 2] + 1);
            }
            row.push(v);
        }
        prev2 = Some(std::mem::replace(&mut d, row));
    }
    d[n]
}

/// Each alphanumeric run of `text` with its byte offset, as the engine's analyzer finds
/// words, dropping those at or over the length limit.
fn words(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices().chain([(text.len(), ' ')]) {
        match (start, c.is_alphanumeric() && i < text.len()) {
            (None, true) => start = Some(i),
            (Some(s), false) => {
                if i - s < analyzer::TOKEN_LIMIT {
                    out.push((s, &text[s..i]));
                }
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// The engine's `corrected`: `query` with the first whole occurrence of each word of
/// `fixes` (in any case) replaced by its suggestion.
fn corrected(query: &str, fixes: &[(String, String)]) -> String {
    let mut out = query.to_string();
    for (word, fix) in fixes {
        let found = words(&out)
            .into_iter()
            .find(|(_, w)| w.to_lowercase() == *word)
            .map(|(at, w)| (at, w.len()));
        if let Some((at, len)) = found {
            out.replace_range(at..at + len, fix);
        }
    }
    out
}

/// The engine's `excerpt`, as plain text: the window of `size` words of `text` with the
/// most of `terms`, marked "… " and " …" where it leaves text out.
fn excerpt(text: &str, terms: &[String], size: usize) -> String {
    let mut a = analyzer::analyzer();
    let tokens: Vec<(usize, &str, bool)> = words(text)
        .into_iter()
        .map(|(at, w)| {
            let lower: String = w.chars().flat_map(char::to_lowercase).collect();
            let hit = analyzer::terms(&mut a, &lower)
                .pop()
                .is_some_and(|t| terms.contains(&t));
            (at, w, hit)
        })
        .collect();
    if tokens.is_empty() {
        return String::new();
    }
    let (mut best, mut best_hits, mut hits) = (0usize, -1i64, 0i64);
    for i in 0..tokens.len() {
        hits += i64::from(tokens[i].2);
        if i >= size {
            hits -= i64::from(tokens[i - size].2);
        }
        if hits > best_hits {
            best_hits = hits;
            best = (i + 1).saturating_sub(size);
        }
    }
    let last = tokens[tokens.len().min(best + size) - 1];
    let start = if best == 0 { 0 } else { tokens[best].0 };
    let end = last.0 + last.1.len();
    let before = if best > 0 { "… " } else { "" };
    let after = if end < text.len() { " …" } else { "" };
    format!("{before}{}{after}", &text[start..end])
}

impl Answer {
    /// The answer as `ntg search --format human` prints it: per result its title, what it
    /// is, its councils and standing, its path and score, and its excerpt.
    pub fn human(&self) -> String {
        let mut out = String::new();
        for (i, r) in self.results.iter().enumerate() {
            let about: Vec<&str> = std::iter::once(r.kind.as_str())
                .chain(r.standing.iter().map(String::as_str))
                .collect();
            out.push_str(&format!(
                "{:>2}. {}\n    {}\n",
                i + 1,
                r.title,
                about.join(" · ")
            ));
            if !r.councils.is_empty() {
                out.push_str(&format!("    {}\n", r.councils.join(", ")));
            }
            out.push_str(&format!("    {}  (score {:.4})\n", r.url, r.score));
            if !r.excerpt.is_empty() {
                out.push_str(&format!("    {}\n", r.excerpt));
            }
        }
        if self.results.is_empty() {
            out.push_str("no results\n");
            if self.filtered {
                out.push_str("the filters leave nothing: leave them out to search everything\n");
            }
        }
        if let Some(s) = &self.suggestion {
            out.push_str(&format!("did you mean: {s}\n"));
        }
        out
    }

    /// The answer as `ntg search --format json` prints it: an array of results.
    pub fn json(&self) -> String {
        format!(
            "{}\n",
            serde_json::to_string_pretty(&self.results).unwrap_or_default()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swapped_neighbours_are_one_edit() {
        let u = |s: &str| s.encode_utf16().collect::<Vec<u16>>();
        assert_eq!(distance(&u("famliy"), &u("family")), 1);
        assert_eq!(distance(&u("familes"), &u("families")), 1);
        assert_eq!(distance(&u(""), &u("abc")), 3);
    }

    #[test]
    fn a_correction_keeps_the_rest_of_the_query() {
        let fixes = [("familes".to_string(), "families".to_string())];
        assert_eq!(
            corrected("Young FAMILES, and carers", &fixes),
            "Young families, and carers"
        );
    }

    #[test]
    fn an_excerpt_is_the_window_with_the_most_query_words() {
        let text = format!("{}carers meet {}", "word ".repeat(40), "more ".repeat(40));
        let e = excerpt(&text, &["carer".to_string()], 4);
        assert_eq!(e, "… word word word carers …");
        assert_eq!(excerpt("short text", &[], 30), "short text");
    }
}
