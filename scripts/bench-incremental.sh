#!/usr/bin/env bash
# Times incremental `ntg build` (release) against clean builds of a benchmark corpus written by
# ../shared/bench/gen_corpus.py: the median of RUNS (default 3) of each of
#   clean       `ntg build --no-cache` with no output and no cache
#   body edit   one paragraph added to one case study's body, then `ntg build`
#   tag edit    one case study's first theme changed, then `ntg build`
#   template    the site's override of base.html edited, then `ntg build`
#   check       `ntg check`
# and checks after the last edit that the incremental output equals a clean build's.
#   scripts/bench-incremental.sh [DOCS]     default 10000
set -euo pipefail
cd "$(dirname "$0")/.."
docs=${1:-10000}
runs=${RUNS:-3}
gen=${GEN_CORPUS:-../shared/bench/gen_corpus.py}
cargo build --release --quiet
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 "$gen" --docs "$docs" --out "$work/site" >/dev/null
mkdir -p "$work/site/templates"
cp themes/default/templates/base.html "$work/site/templates/base.html"
python3 - "$work" "$runs" <<'PY'
import filecmp, os, re, shutil, statistics, subprocess, sys, time
work, runs = sys.argv[1], int(sys.argv[2])
site, out = f"{work}/site", f"{work}/site/public"
ntg = os.path.abspath("target/release/ntg")

def run(*args):
    t = time.perf_counter()
    p = subprocess.run([ntg, *args, "--root", site], capture_output=True, text=True)
    took = time.perf_counter() - t
    if p.returncode != 0:
        sys.exit(p.stderr)
    return took

def clean():
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(f"{site}/.ntg-cache", ignore_errors=True)
    os.sync()
    return run("build", "--no-cache")

case_studies = sorted(
    os.path.join(d, f)
    for d, _, fs in os.walk(f"{site}/content/case-studies")
    for f in fs
    if f.endswith(".md") and f != "_index.md"
)
themes = re.findall(r"^  - slug: (\S+)", open(f"{site}/data/taxonomies.yaml").read().split("groups:")[0], re.M)

def body_edit(i):
    with open(case_studies[i], "a") as f:
        f.write(f"\nA paragraph added by the benchmark, number {i}.\n")

def tag_edit(i):
    path = case_studies[len(case_studies) // 2 + i]
    text = open(path).read()
    m = re.search(r"^themes: \[([^\],]+)", text, re.M) or re.search(r"^themes:\n  - (\S+)", text, re.M)
    old = m.group(1).strip()
    new = next(t for t in themes if t != old)
    open(path, "w").write(text[: m.start(1)] + new + text[m.end(1):])

def template_edit(i):
    path = f"{site}/templates/base.html"
    text = open(path).read()
    open(path, "w").write(text.replace("</body>", f"<!-- benchmark edit {i} -->\n</body>", 1))

def timed(edit):
    times = []
    for i in range(runs):
        edit(i)
        os.sync()
        times.append(run("build"))
    return times

def show(name, times):
    print(f"{name:<10} median {statistics.median(times):6.2f} s of {len(times)}: "
          + ", ".join(f"{t:.2f}" for t in times))

cleans = [clean() for _ in range(runs)]
# Prime the cache on top of the last clean build, twice: `--no-cache` keeps no manifest, so
# the first cached build writes every file, and only the second leaves a spare tree whose
# files are known. A writer's builds after the first are what the edits below time.
run("build")
run("build")
results = [("clean", cleans), ("body edit", timed(body_edit)), ("tag edit", timed(tag_edit)),
           ("template", timed(template_edit)), ("check", [run("check") for _ in range(runs)])]
for name, times in results:
    show(name, times)
clean_median = statistics.median(cleans)
print(f"body edit / clean = {statistics.median(results[1][1]) / clean_median:.3f}")

# The last incremental output must equal a clean build of the same files.
fresh = f"{work}/fresh"
shutil.copytree(site, fresh, ignore=shutil.ignore_patterns("public", ".ntg-cache"))
subprocess.run([ntg, "build", "--no-cache", "--root", fresh], check=True, capture_output=True)
def same(a, b):
    c = filecmp.dircmp(a, b)
    if c.left_only or c.right_only or c.diff_files or c.funny_files:
        sys.exit(f"incremental and clean differ in {a}: {c.left_only} {c.right_only} {c.diff_files}")
    for d in c.common_dirs:
        same(f"{a}/{d}", f"{b}/{d}")
filecmp.clear_cache()
same(out, f"{fresh}/public")
print("incremental output equals a clean build's")
PY
