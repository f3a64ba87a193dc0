#!/usr/bin/env bash
# The search budgets on benchmark corpora from ../shared/bench/gen_corpus.py:
#   scripts/search-bench.sh [DOCS ...]          default sizes: 1000 10000 100000
# For each size: the build's time (and the search index's share), the index on disk, the
# export's files and bytes, and, from scripts/search-bench.mjs, a first query's transfer and
# answer time. PAGEFIND=1 also indexes the built site with Pagefind (from npm, pinned) and
# measures the same queries through it.
set -euo pipefail
cd "$(dirname "$0")/.."
gen=${GEN_CORPUS:-../shared/bench/gen_corpus.py}
cargo build --release --quiet
work=${WORK:-$(mktemp -d)}
queries=("family learning" "children care" "parents schools" "attendance panel" "young carers")
if [ "${PAGEFIND:-0}" = 1 ] && [ ! -x "$work/pf/node_modules/.bin/pagefind" ]; then
  npm install --prefix "$work/pf" --no-audit --no-fund --loglevel=error pagefind@1.6.0 >/dev/null
fi
for n in "${@:-1000 10000 100000}"; do
  site="$work/corpus-$n"
  [ -d "$site" ] || python3 "$gen" --docs "$n" --out "$site" >/dev/null
  rm -rf "$site/public" "$site/.ntg-cache"
  sync
  echo "== gen_corpus.py --docs $n"
  /usr/bin/time -f "   wall %e s, user %U s, sys %S s, max RSS %M KB" ./target/release/ntg build --root "$site" --timings 2>&1 \
    | grep -E "built|search index|wall"
  echo "   index on disk: $(du -sh "$site/.ntg-cache/search-index" | cut -f1)"
  echo "   export: $(find "$site/public/search" -type f | wc -l) files, $(du -sh "$site/public/search" | cut -f1)"
  flag=()
  if [ "${PAGEFIND:-0}" = 1 ]; then
    /usr/bin/time -f "   pagefind indexing: wall %e s" "$work/pf/node_modules/.bin/pagefind" --site "$site/public" --output-path "$site/public/pagefind" >/dev/null
    echo "   pagefind files: $(find "$site/public/pagefind" -type f | wc -l), $(du -sh "$site/public/pagefind" | cut -f1)"
    flag=(PAGEFIND=1)
  fi
  node scripts/search-bench.mjs "$site/public" "${flag[@]}" "${queries[@]}" | sed 's/^/   /'
done
