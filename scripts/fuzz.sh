#!/usr/bin/env bash
# Fuzzes ntg's input readers for a bounded time each, one target after another, and prints
# each target's executions, speed, coverage and findings.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]     (default: 300 seconds, every target)
#
# Needs the nightly toolchain (libFuzzer's sanitizer flags) and cargo-fuzz, which it installs
# if missing. It is not part of scripts/test.sh: the corpus and every input it finds are
# replayed on stable by tests/fuzz_regressions.rs, which the normal test run includes.
#
# Each run grows the target's corpus, fuzz/corpus/TARGET/ (both markdown targets share
# fuzz/corpus/markdown/: one markdown parser, so one corpus), which is then minimised
# (`cargo fuzz cmin`) so that only inputs reaching new code are kept in git. A crashing,
# hanging or out-of-memory input is copied to fuzz/regressions/TARGET/, where the tests
# replay it.
#
# Not fuzzed yet: a whole site from an in-memory snapshot. The pipeline reads the site from
# disk stage by stage; a target for it waits for the pipeline redesign (issue 11).
set -euo pipefail
cd "$(dirname "$0")/../fuzz"

seconds=${1:-300}
shift || true
targets=("$@")
if ((${#targets[@]} == 0)); then
  targets=(front_matter site_config markdown_untrusted markdown_trusted ees_csv)
fi

if ! rustup toolchain list | grep -q '^nightly'; then
  echo "fuzz.sh: the nightly toolchain is missing; install it with: rustup toolchain install nightly" >&2
  exit 2
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  echo "installing cargo-fuzz"
  cargo install cargo-fuzz --locked
fi

# -a: debug assertions and overflow checks on, so an arithmetic slip is a finding too.
flags=(-a)
cargo +nightly fuzz build "${flags[@]}"

corpus_of() {
  case $1 in
    markdown_*) echo corpus/markdown ;;
    *) echo "corpus/$1" ;;
  esac
}

summary=()
for target in "${targets[@]}"; do
  log=$(mktemp)
  stamp=$(mktemp) # older than anything this run finds
  corpus=$(corpus_of "$target")
  mkdir -p "$corpus" "artifacts/$target"
  echo "== $target for ${seconds}s"
  # -timeout: an input taking over 5 s is a hang. Findings stop the run, so what follows
  # a crash is fuzzed on the next run, with the crash kept as a regression.
  status=0
  cargo +nightly fuzz run "${flags[@]}" "$target" "$corpus" -- \
    -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 -print_final_stats=1 \
    >"$log" 2>&1 || status=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$log" | tail -1)
  found=()
  while IFS= read -r artifact; do
    name=$(basename "$artifact")
    mkdir -p "regressions/$target"
    cp "$artifact" "regressions/$target/$name"
    found+=("$name")
  done < <(find "artifacts/$target" -type f -newer "$stamp")
  if ((status != 0)) && ((${#found[@]} == 0)); then
    echo "fuzz.sh: $target stopped with status $status and no finding; its log:" >&2
    tail -40 "$log" >&2
    exit 1
  fi
  if ((${#found[@]})); then
    echo "finding(s), copied to fuzz/regressions/$target/:"
    grep -A1 -E '^(thread .* panicked|==[0-9]+==.*(ERROR|ALARM))' "$log" | head -20 || true
  fi
  cargo +nightly fuzz cmin "${flags[@]}" "$target" "$corpus" >"$log.cmin" 2>&1 ||
    { echo "fuzz.sh: minimising $target's corpus failed:" >&2; tail -20 "$log.cmin" >&2; exit 1; }
  summary+=("$(printf '%-20s %10s execs %7s exec/s  %-22s corpus %5s files  findings %d (%s)' \
    "$target" "${execs:-?}" "${speed:-?}" "${cov:-cov: ?}" \
    "$(find "$corpus" -type f | wc -l)" "${#found[@]}" "${found[*]:-none}")")
  rm -f "$log" "$log.cmin" "$stamp"
done

echo "== summary (${seconds}s per target)"
printf '%s\n' "${summary[@]}"
