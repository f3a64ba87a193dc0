#!/usr/bin/env python3
"""Seeds fuzz/corpus/<target>/ (fuzz/corpus/markdown/ for both markdown targets) from the
repository's real inputs: the digest's documents, site.yaml files, gap files (small slices)
and the test fixtures, plus the hostile inputs of issue 10. Files are named by the SHA-1 of
their bytes, as libFuzzer names them, so running this again adds nothing twice.
`scripts/fuzz.sh` minimises the corpus after each run."""

import glob
import hashlib
import os

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
CORPUS = os.path.join(ROOT, "fuzz", "corpus")


def put(target, data):
    if isinstance(data, str):
        data = data.encode()
    folder = os.path.join(CORPUS, target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, hashlib.sha1(data).hexdigest()), "wb") as f:
        f.write(data)


def files(*patterns):
    for pattern in patterns:
        yield from sorted(glob.glob(os.path.join(ROOT, pattern), recursive=True))


def read(path):
    with open(path, "rb") as f:
        return f.read()


def split(doc):
    """Front matter (with its fences) and body of a document; all front matter if unclosed."""
    if not doc.startswith(b"---\n"):
        return doc, b""
    end = doc.find(b"\n---\n", 3)
    if end < 0:
        return doc, b""
    return doc[: end + 5], doc[end + 5 :]


# Documents: front matter for front_matter, bodies for both markdown targets.
for path in files("content/**/*.md", "tests/fixtures/**/*.md"):
    front, body = split(read(path))
    put("front_matter", front)
    if body.strip():
        put("markdown", body)

for path in files("site.yaml", "tests/fixtures/**/site.yaml"):
    put("site_config", read(path))

# Gap files: the header and a slice of rows of each level, with the meta file before a NUL.
for path in files("data/gaps/*.csv", "tests/fixtures/**/gaps/*.csv"):
    if path.endswith(".meta.csv"):
        continue
    lines = read(path).split(b"\n")
    rows = lines[1:]
    picked = []
    for level in (b"National", b"Regional", b"Local authority"):
        picked += [r for r in rows if level in r][:6]
    data = b"\n".join([lines[0]] + (picked or rows[:20])) + b"\n"
    put("ees_csv", data)
    meta = path[: -len(".csv")] + ".meta.csv"
    if os.path.exists(meta):
        put("ees_csv", read(meta) + b"\0" + data)

# The attacks of issue 10, small enough to run often.
HOSTILE = [
    '```x"onmouseover="alert(1)\ncode\n```\n',
    "<img src=x onerror=alert(1)> <script>alert(1)</script>\n",
    '<a href="javascript:alert(1)">a</a> [b](javascript:alert(1)) ![c](data:image/svg+xml,x)\n',
    '<img src="https://tracker.example/p.gif"> <input type=password id=main name=q>\n',
    '<svg><a xlink:href="javascript:x"><text>x</text></a></svg><math><mtext><script>x</script>\n',
    "<details><summary>s</summary><table><tr><td><abbr title=t>a</abbr><sup>1</sup></td></tr></table></details>\n",
    "".join("  " * i + "- item\n" for i in range(40)),
    "> " * 60 + "quote\n",
    "<div>" * 60 + "x" + "</div>" * 60 + "\n",
    "# Heading {#id onclick=x}\n\n[x]: <javascript:alert(1)> 'title'\n\n[link][x]\n",
]
for text in HOSTILE:
    put("markdown", text)
put("front_matter", "---\ntitle: [" + "[" * 200 + "\n---\n")
put("site_config", "title: t\nbase_url: " + "[" * 200 + "\n")
put("ees_csv", "time_period,time_identifier,geographic_level,country_code,region_code,new_la_code,la_name,value\n"
    "201819,Academic year,Local authority,E92000001,E12000001,../../../x,X,1\n"
    '201819,Academic year,Regional,E92000001,"E1<script>",,,2\n')
