// The search worker: owns the index, so decoding and scoring never block the page. It is
// told where the index is, then answers { id, q, filters, prefix } with results and the
// fragments of the results shown.
import { Index } from './engine.js';

let index = null;

async function inflate(bytes) {
  // The build gzips every file itself (magic bytes 1f 8b); a host that already decoded it
  // hands over plain bytes.
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

async function open(metaUrl) {
  const base = new URL('.', metaUrl);
  index = await Index.open(async (path) => {
    const res = await fetch(new URL(path, base));
    if (!res.ok) throw new Error(`${path}: ${res.status}`);
    return inflate(new Uint8Array(await res.arrayBuffer()));
  });
  return { facets: index.meta.facets.map((f) => f.key) };
}

self.onmessage = async ({ data }) => {
  try {
    if (data.open) { self.postMessage({ id: data.id, ...(await open(data.open)) }); return; }
    if (!index) throw new Error('the search index could not be opened');
    const started = performance.now();
    const r = await index.search(data.q, data.filters, { limit: data.limit ?? 10, prefix: data.prefix });
    const results = await Promise.all(r.hits.map(async (h) => ({ ...h, ...(await index.result(h.doc, r.terms)) })));
    self.postMessage({ id: data.id, total: r.total, counts: r.counts, suggestion: r.suggestion, results, ms: performance.now() - started });
  } catch (e) {
    self.postMessage({ id: data.id, error: String(e) });
  }
};
