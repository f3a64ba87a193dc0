// The search engine of the digest's static index (see src/search/export.rs for the files).
// It analyses a query as tantivy does, fetches only the shards its words fall in, and
// scores with tantivy's BM25 in f32, step by step, from the exported weights and norms, so
// its ranking is `ntg search`'s. Runs in a Web Worker and, for the tests, in Node.
import { stem } from './stem.js';

const f32 = Math.fround;
const WORD = /[\p{Alphabetic}\p{N}]+/gu;
const enc = new TextEncoder();
const dec = new TextDecoder();

/** Compares strings in code point order: the byte order of UTF-8, which the index uses. */
function cmp(a, b) {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.codePointAt(i), y = b.codePointAt(i);
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

// Rust's char::to_lowercase, one code point at a time (no final-sigma rule).
const lower = (w) => (/^[\x00-\x7f]*$/.test(w) ? w.toLowerCase() : Array.from(w, (c) => c.toLowerCase()).join(''));

/** The analyzer of src/search/analyzer.rs: tokens, length limit, lower case, stop words, stems. */
export class Analyzer {
  constructor(meta) {
    this.stop = new Set(meta.stop);
    this.limit = meta.limit;
  }
  /** Lower-cased words within the length limit, with their offsets in `text`. */
  words(text) {
    const out = [];
    for (const m of text.matchAll(WORD)) {
      if (enc.encode(m[0]).length < this.limit) out.push({ word: lower(m[0]), at: m.index, len: m[0].length });
    }
    return out;
  }
  term(word) {
    return this.stop.has(word) ? null : stem(word);
  }
  terms(text) {
    return this.words(text).map((w) => this.term(w.word)).filter((t) => t !== null);
  }
}

class Reader {
  constructor(bytes) { this.b = bytes; this.i = 0; this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength); }
  varint() {
    let v = 0, shift = 0, byte;
    do { byte = this.b[this.i++]; v += (byte & 0x7f) * 2 ** shift; shift += 7; } while (byte & 0x80);
    return v;
  }
  bytes(n) { const s = this.b.subarray(this.i, this.i + n); this.i += n; return s; }
  f32() { const v = this.view.getFloat32(this.i, true); this.i += 4; return v; }
}

function decodeShard(bytes) {
  const r = new Reader(bytes);
  const terms = [];
  let prev = new Uint8Array(0);
  for (let n = r.varint(); n > 0; n--) {
    const shared = r.varint();
    const key = new Uint8Array(shared + r.varint());
    key.set(prev.subarray(0, shared));
    key.set(r.bytes(key.length - shared), shared);
    prev = key;
    const term = dec.decode(key);
    const code = r.varint();
    let surface = null;
    if (code > 0) {
      const s = new Uint8Array(code - 1 + r.varint());
      s.set(key.subarray(0, code - 1));
      s.set(r.bytes(s.length - code + 1), code - 1);
      surface = dec.decode(s);
    }
    const mask = r.b[r.i++];
    const fields = [];
    for (let f = 0; f < 8; f++) {
      if (!(mask & (1 << f))) { if (f < 2) fields.push(null); continue; }
      const weight = r.f32();
      const df = r.varint();
      const docs = new Uint32Array(df), tfs = new Uint32Array(df), norms = new Uint8Array(df);
      let doc = 0;
      for (let k = 0; k < df; k++) { doc += r.varint(); docs[k] = doc; }
      for (let k = 0; k < df; k++) tfs[k] = r.varint();
      norms.set(r.bytes(df));
      fields.push({ weight, docs, tfs, norms });
    }
    terms.push({ term, surface, fields });
  }
  return terms;
}

function decodeFacet(bytes, docs, size) {
  const r = new Reader(bytes);
  const sets = [];
  for (let v = 0; v < size; v++) {
    const kind = r.b[r.i++], count = r.varint();
    let set;
    if (kind === 1) set = r.bytes(Math.ceil(docs / 8));
    else {
      set = new Uint8Array(Math.ceil(docs / 8));
      for (let k = 0, d = 0; k < count; k++) { d += r.varint(); set[d >> 3] |= 1 << (d & 7); }
    }
    sets.push({ set, count });
  }
  return sets;
}

const has = (set, d) => (set[d >> 3] >> (d & 7)) & 1;

/** How many postings a term has over all fields: its cost, and its weight as a suggestion. */
const postings = (t) => t.fields.reduce((n, f) => n + (f ? f.docs.length : 0), 0);

/** Edit distance with transpositions, for "did you mean". */
function distance(a, b) {
  const m = a.length, n = b.length;
  let d = Array.from({ length: n + 1 }, (_, j) => j), prev2 = null;
  for (let i = 1; i <= m; i++) {
    const row = [i];
    for (let j = 1; j <= n; j++) {
      let v = Math.min(d[j] + 1, row[j - 1] + 1, d[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (prev2 && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
      row.push(v);
    }
    prev2 = d; d = row;
  }
  return d[n];
}

const escaped = (w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * `text` with the first whole occurrence (in any case) of each word of `suggestions`
 * replaced by its suggestion: the query "did you mean" offers. `ntg search` does the same
 * (src/search/shown.rs).
 */
export function corrected(text, suggestions) {
  let fixed = text;
  for (const [word, s] of Object.entries(suggestions)) fixed = fixed.replace(new RegExp(`(^|[^\\p{L}\\p{N}])${escaped(word)}(?=$|[^\\p{L}\\p{N}])`, 'iu'), `$1${s}`);
  return fixed;
}

/**
 * The index. `load(path)` resolves a file of the export (relative to its folder) to its
 * bytes, inflated: the worker fetches and decompresses, the tests read from disk.
 */
export class Index {
  constructor(meta, load) {
    this.meta = meta;
    this.load = load;
    this.analyzer = new Analyzer(meta);
    this.norms = meta.fields.map((f) => Float32Array.from(f.norms));
    this.shards = new Map();
    this.facets = null;
  }

  static async open(load) {
    return new Index(JSON.parse(dec.decode(await load('meta.bin'))), load);
  }

  /** The shard a term falls in: the last whose first term is not after it. */
  shardOf(term) {
    const s = this.meta.shards;
    let lo = 0, hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (cmp(s[mid], term) <= 0) lo = mid; else hi = mid - 1;
    }
    return lo;
  }

  shard(i) {
    if (!this.shards.has(i)) {
      // A failed fetch is forgotten, so the next query tries again.
      this.shards.set(i, this.load(`t/${i}.bin`).then(decodeShard).catch((e) => { this.shards.delete(i); throw e; }));
    }
    return this.shards.get(i);
  }

  async lookup(term) {
    if (!this.meta.shards.length) return null;
    const terms = await this.shard(this.shardOf(term));
    return terms.find((t) => t.term === term) ?? null;
  }

  /** Terms starting with any of `prefixes`, most frequent first (for the word being typed). */
  async expand(prefixes, most = 8) {
    const found = new Map();
    for (const prefix of prefixes) {
      for (let i = this.shardOf(prefix); i < this.meta.shards.length; i++) {
        if (i > this.shardOf(prefix) && !this.meta.shards[i].startsWith(prefix)) break;
        for (const t of await this.shard(i)) if (t.term.startsWith(prefix)) found.set(t.term, t);
      }
    }
    return [...found.values()].sort((a, b) => postings(b) - postings(a) || cmp(a.term, b.term)).slice(0, most);
  }

  async suggest(word) {
    if (!this.meta.shards.length) return null;
    const term = this.analyzer.term(word) ?? word;
    const max = word.length > 4 ? 2 : 1;
    let best = null;
    for (const t of await this.shard(this.shardOf(term))) {
      if (!t.surface) continue;
      // Near the word the term is most often written as, or near the term itself: "famly"
      // is two edits from "famili" though three from "families".
      const d = Math.min(distance(word, t.surface), distance(word, t.term));
      const df = postings(t);
      if (d <= max && (!best || d < best.d || (d === best.d && df > best.df))) best = { d, df, word: t.surface };
    }
    return best && best.word;
  }

  async facetSets() {
    if (!this.facets) {
      this.facets = Promise.all(this.meta.facets.map(async (f) => decodeFacet(await this.load(`f/${f.key}.bin`), this.meta.docs, f.values.length)))
        .catch((e) => { this.facets = null; throw e; });
    }
    return this.facets;
  }

  /** One field's BM25 score for a posting, as tantivy computes it. */
  fieldScore(field, entry, k) {
    const tf = entry.tfs[k];
    return f32(entry.weight * f32(tf / f32(tf + this.norms[field][entry.norms[k]])));
  }

  /** Per document, the score of one query word: its fields' scores added in field order. */
  wordScores(entries) {
    const scores = new Map();
    entries.forEach((entry, field) => {
      if (!entry) return;
      for (let k = 0; k < entry.docs.length; k++) {
        const d = entry.docs[k], s = this.fieldScore(field, entry, k);
        const before = scores.get(d);
        scores.set(d, before === undefined ? s : f32(before + s));
      }
    });
    return scores;
  }

  /**
   * Runs a query: every word must match; with `prefix`, the last word matches any term it
   * begins (best of them). `filters` maps a facet key to the values chosen (OR within a
   * facet, AND across facets). Returns the top `limit` hits, the number of matches, counts
   * per facet value, and suggestions for words that match nothing.
   */
  async search(text, filters = {}, { limit = 10, prefix = false } = {}) {
    const words = this.analyzer.words(text);
    const clauses = [];
    const seen = new Set();
    const missing = [];
    for (let w = 0; w < words.length; w++) {
      const typing = prefix && w === words.length - 1 && !/[\s\p{P}]$/u.test(text);
      const term = this.analyzer.term(words[w].word);
      // A word being typed narrows only once it has two letters, and a stop word never does.
      if (typing && (words[w].word.length < 2 || term === null)) continue;
      if (typing) {
        // As typed, and as stemmed: "happine" begins no term, but its stem "happin" may.
        const terms = await this.expand([...new Set([words[w].word, term])]);
        if (!terms.length) { missing.push(words[w].word); continue; }
        // The best expansion per document stands for the word being typed.
        const scores = new Map();
        for (const t of terms) for (const [d, s] of this.wordScores(t.fields)) if (!(scores.get(d) >= s)) scores.set(d, s);
        clauses.push({ scores, cost: terms.reduce((n, t) => n + postings(t), 0) });
        continue;
      }
      if (term === null || seen.has(term)) continue;
      seen.add(term);
      const entry = await this.lookup(term);
      if (!entry) { missing.push(words[w].word); continue; }
      clauses.push({ scores: this.wordScores(entry.fields), cost: postings(entry) });
    }
    const suggestions = {};
    for (const word of missing) { const s = await this.suggest(word); if (s) suggestions[word] = s; }
    const suggestion = Object.keys(suggestions).length ? corrected(text, suggestions) : null;
    const empty = { hits: [], total: 0, counts: {}, suggestions, suggestion, terms: [...seen] };
    if (!clauses.length || missing.length) return empty;
    const sets = await this.facetSets();
    const chosen = this.meta.facets.map((f, i) => (filters[f.key] ?? []).map((v) => f.values.findIndex((x) => x[0] === v)).filter((v) => v >= 0).map((v) => sets[i][v]));
    const passes = (d, skip) => chosen.every((c, i) => i === skip || !c.length || c.some((v) => has(v.set, d)));
    // Filters join the intersection as zero-scored clauses, at their own cost, because the
    // order tantivy adds clause scores in is by cost, and f32 addition is not associative.
    const all = clauses.map((c) => ({ ...c, filter: false }));
    chosen.forEach((c) => { if (c.length) all.push({ filter: true, cost: c.reduce((n, v) => n + v.count, 0) }); });
    const order = all.map((c, i) => [c.cost, i]).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map(([, i]) => all[i]);
    const driver = clauses.reduce((a, b) => (a.scores.size <= b.scores.size ? a : b)).scores;
    const matched = [];
    const counts = {};
    this.meta.facets.forEach((f) => { counts[f.key] = new Array(f.values.length).fill(0); });
    for (const d of driver.keys()) {
      if (!clauses.every((c) => c.scores.has(d))) continue;
      // Counts of a facet's values ignore that facet's own filter: they say what choosing
      // another value would give.
      this.meta.facets.forEach((f, i) => {
        if (!passes(d, i)) return;
        sets[i].forEach((v, j) => { if (has(v.set, d)) counts[f.key][j]++; });
      });
      if (!passes(d, -1)) continue;
      const s = order.map((c) => (c.filter ? 0 : c.scores.get(d)));
      let score = s.length > 1 ? f32(s[0] + s[1]) : s[0];
      if (s.length > 2) { let rest = 0; for (let k = 2; k < s.length; k++) rest = f32(rest + s[k]); score = f32(score + rest); }
      matched.push([score, d]);
    }
    matched.sort((a, b) => b[0] - a[0] || a[1] - b[1]);
    return { ...empty, hits: matched.slice(0, limit).map(([score, doc]) => ({ doc, score })), total: matched.length, counts };
  }

  async fragment(doc) {
    return JSON.parse(dec.decode(await this.load(`d/${doc}.bin`)));
  }

  /**
   * What a result shows of the document `doc` for a query of `terms`: its link, title,
   * type, councils and evidence level or status (by name, from the meta file's lists),
   * labels, summary and excerpt.
   */
  async result(doc, terms) {
    const f = await this.fragment(doc);
    const named = (numbers, names) => (numbers ?? []).map((n) => names?.[n]).filter((n) => n !== undefined);
    return {
      url: f.u, title: f.t, type: f.y, labels: f.l, summary: f.s,
      councils: named(f.c, this.meta.councils), standing: named(f.e, this.meta.standings),
      excerpt: this.excerpt(f.x, terms),
    };
  }

  /**
   * The passage of `text` that best shows why it matched: the window of about `words`
   * words with the most query terms, as runs of [text, highlighted?].
   */
  excerpt(text, terms, words = 30) {
    const want = new Set(terms);
    const tokens = this.analyzer.words(text).map((w) => ({ ...w, hit: want.has(this.analyzer.term(w.word)) }));
    if (!tokens.length) return [];
    let best = 0, bestHits = -1;
    for (let i = 0, hits = 0; i < tokens.length; i++) {
      hits += tokens[i].hit;
      if (i >= words) hits -= tokens[i - words].hit;
      if (hits > bestHits) { bestHits = hits; best = Math.max(0, i - words + 1); }
    }
    const first = tokens[best], last = tokens[Math.min(tokens.length, best + words) - 1];
    const runs = [];
    let at = best === 0 ? 0 : first.at;
    if (best > 0) runs.push(['… ', false]);
    for (const t of tokens.slice(best, best + words)) {
      if (!t.hit) continue;
      runs.push([text.slice(at, t.at), false], [text.slice(t.at, t.at + t.len), true]);
      at = t.at + t.len;
    }
    const end = last.at + last.len;
    runs.push([text.slice(at, end), false]);
    if (end < text.length) runs.push([' …', false]);
    return runs.filter(([s]) => s);
  }
}
