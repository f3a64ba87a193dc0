#!/usr/bin/env bash
# Times `ntg serve` (release) from a save to the reloaded page in headless Chromium, on
# benchmark corpora of each size given (default 1000 and 10000 documents): see
# scripts/bench-serve.mjs for what is timed. Needs what the test command installs.
#   scripts/bench-serve.sh [DOCS ...]
set -euo pipefail
cd "$(dirname "$0")/.."
gen=${GEN_CORPUS:-../shared/bench/gen_corpus.py}
cargo build --release --quiet
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sizes=("$@")
((${#sizes[@]})) || sizes=(1000 10000)
for n in "${sizes[@]}"; do
  echo "== $n documents"
  python3 "$gen" --docs "$n" --out "$work/site-$n" >/dev/null
  mkdir -p "$work/site-$n/templates"
  cp themes/default/templates/base.html "$work/site-$n/templates/base.html"
  node scripts/bench-serve.mjs "$work/site-$n"
done
