#!/usr/bin/env bash
# Times `ntg build` (release) on the repository's digest and on benchmark corpora written by
# ../shared/bench/gen_corpus.py: the median of RUNS builds (default 5) for each size.
#   scripts/bench.sh [DOCS ...]     default sizes: 1000
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-5}
gen=${GEN_CORPUS:-../shared/bench/gen_corpus.py}
cargo build --release --quiet
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Prints the median wall and CPU time of building the site at $1 into a fresh folder. The old
# output is removed and the disk synced before each timed run: on this VM's disk (ext4 mounted
# with `discard`) deleting a large tree slows the writes that follow it for seconds, which
# would measure the machine rather than ntg.
time_build() {
  python3 - "$1" "$runs" <<'PY'
import os, re, resource, shutil, statistics, subprocess, sys, time
root, runs = sys.argv[1], int(sys.argv[2])
out = root + "/public"
walls, cpus, report = [], [], ""
for _ in range(runs):
    shutil.rmtree(out, ignore_errors=True)
    os.sync()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    # --no-cache: a clean build, taking nothing from the one before.
    p = subprocess.run(["./target/release/ntg", "build", "--no-cache", "--root", root, "--output", out],
                       capture_output=True, text=True)
    walls.append(time.perf_counter() - t)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpus.append(after.ru_utime - before.ru_utime)
    if p.returncode != 0:
        sys.exit(p.stderr)
    report = p.stderr
m = re.search(r"built (\d+) pages \((\d+) files\) from (\d+) documents", report)
size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(out) for f in fs)
print(f"wall median {statistics.median(walls):.3f} s of {runs} (min {min(walls):.3f}, max {max(walls):.3f}), "
      f"user CPU median {statistics.median(cpus):.3f} s; {m.group(1)} pages, {m.group(2)} files, "
      f"{size / 1e6:.1f} MB, from {m.group(3)} documents")
PY
}

cp -r site.yaml content data "$work/" && mkdir -p "$work/digest" && mv "$work/site.yaml" "$work/content" "$work/data" "$work/digest/"
echo "repository digest: $(time_build "$work/digest")"
# The same digest without its gap data, so the difference is what loading, joining, charting
# and exporting the real DfE figures costs a build.
cp -r "$work/digest" "$work/no-data"
rm -r "$work/no-data/data/gaps" "$work/no-data/data/indicators.yaml" "$work/no-data/data/statistical-neighbours.csv"
find "$work/no-data/content" -name '*.md' -exec sed -i -e '/^indicators:/d' -e 's|(/indicators/)|(/evidence-map/)|g' {} +
echo "repository digest without gap data: $(time_build "$work/no-data")"
for n in "${@:-1000}"; do
  python3 "$gen" --docs "$n" --out "$work/corpus-$n" 2>/dev/null
  echo "gen_corpus.py --docs $n: $(time_build "$work/corpus-$n")"
done
