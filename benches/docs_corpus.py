#!/usr/bin/env python3
"""Python 3.11's documentation as pykb articles: a realistic corpus for benchmarks at scale.

    python3 benches/docs_corpus.py OUT_DIR [--articles 100000] [--docs DIR]

Reads Debian's python3.11-doc sources (reStructuredText, `_sources/**/*.rst.txt`) and writes
`count` files in the `content/` format. One article per section (a heading), per API entry
(`.. function::`, `.. class::`, … as "What does functools.cache() do?") and per glossary term;
the body is the section in Markdown (rst_markdown.py: literal blocks fenced, roles reduced to
their text, `:ref:` and `:term:` as links to the entries they name), cut at MAX_BODY
characters. Tags are the directory and the file (`library`, `functools`); `related` and a
"See also" list name earlier entries of the same file. Past what the docs hold the entries come
round again with a suffix (`-2` on the slug, " (2)" on the title). Deterministic: the same
count gives the same files. Only the standard library.
"""

import argparse
import json
import os
import random
import re
import sys
from collections import Counter
from dataclasses import dataclass, field

from rst_markdown import DIRECTIVE, REF, adornment, blocks, code_language, plain, width

DOCS = "/usr/share/doc/python3.11/html/_sources"
# Directories in the order their entries are used, so that a small corpus is mostly what readers
# of an interview site look up; the rest follow by name.
ORDER = ["glossary.rst.txt", "tutorial", "library", "reference", "howto", "faq", "using"]
# Within pykb's limits (src/domain: titles 200, slugs 200, summaries 500, bodies 200,000
# characters) with room for the suffix of a reused entry.
MAX_TITLE = 180
MAX_SLUG = 180
MAX_SUMMARY = 480
MAX_BODY = 20_000

API = {
    "function", "method", "class", "exception", "decorator", "decoratormethod", "classmethod",
    "staticmethod", "coroutinefunction", "coroutinemethod", "abstractmethod", "attribute", "data",
}

LABEL = re.compile(r"^\.\.\s+_([^:`]+):\s*$")
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")


@dataclass
class Entry:
    path: str  # relative to the docs, "library/functools.rst.txt"
    title: str
    lines: list = field(default_factory=list)
    labels: list = field(default_factory=list)
    language: str = "python"
    api: bool = False
    body: str = ""
    summary: str = ""
    slug: str = ""


def slugify(title):
    """pykb's slug rule (src/domain/slug.rs): ASCII letters and digits, runs of anything else one
    hyphen, lowercase."""
    return "-".join(re.findall(r"[a-z0-9]+", title.lower().encode("ascii", "replace").decode()))


def cut(text, limit):
    """`text` in at most `limit` characters: whole sentences when they leave enough."""
    if len(text) <= limit:
        return text
    sentence = text[:limit].rfind(". ")
    if sentence > limit // 3:
        return text[: sentence + 1]
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"


def api_title(kind, name):
    if kind in ("class",):
        return f"What is the {name} class?"
    if kind == "exception":
        return f"When is {name} raised?"
    if kind in ("decorator", "decoratormethod"):
        return f"What does the @{name} decorator do?"
    if kind in ("attribute", "data"):
        return f"What is {name}?"
    return f"What does {name}() do?"


def split(path, text):
    """The entries of one file: a heading, an API directive or a glossary term starts one."""
    lines = CONTROL.sub("", text.replace("\t", "    ")).splitlines()
    entries, current, labels = [], None, []
    module, language = None, "c" if path.startswith("c-api") else "python"
    classes = []  # (indent, qualified name) of the enclosing class directives
    glossary = None  # [directive indent, term indent]
    i = 0
    while i < len(lines):
        line, text = lines[i], lines[i].strip()
        after = lines[i + 1] if i + 1 < len(lines) else ""
        title, skip, api = None, 1, False
        if glossary and text and width(line) <= glossary[0]:
            glossary = None
        if (adornment(line) and i + 2 < len(lines) and lines[i + 1].strip()
                and not adornment(lines[i + 1]) and adornment(lines[i + 2])):
            title, skip = plain(lines[i + 1].strip()), 3
        elif (text and not line[0].isspace() and not adornment(line) and adornment(after)
              and len(after.rstrip()) >= len(line.rstrip())):
            title, skip = plain(text), 2
        elif glossary and text and not text.startswith(".."):
            glossary[1] = glossary[1] or width(line)
            if width(line) == glossary[1]:
                term = plain(text)
                article = "an " if term[:1] in "aeiou" else "a " if term[:1].islower() else ""
                title = f"What is {article}{term}?" if term else None
                labels.append("term:" + term.lower())
        elif match := DIRECTIVE.match(line):
            kind, argument = match[2].removeprefix("py:"), match[3].strip()
            if kind in ("module", "currentmodule"):
                module = None if argument == "None" else argument
            elif kind == "highlight":
                language = code_language(argument)
            elif kind == "glossary":
                glossary = [width(line), None]
            elif kind in API:
                indent = width(line)
                classes = [c for c in classes if c[0] < indent]
                name = (re.match(r"[\w.]+", argument) or [argument])[0]
                if classes and "." not in name:
                    name = f"{classes[-1][1]}.{name}"
                elif module and not name.startswith(module + "."):
                    name = f"{module}.{name}"
                if kind in ("class", "exception"):
                    classes.append((indent, name))
                title, api = api_title(kind, name), True
        if title is not None:
            current = Entry(path, title, labels=labels, language=language, api=api)
            entries.append(current)
            labels = []
            i += skip
            continue
        label = LABEL.match(line)
        if label:
            labels.append(label[1].strip().lower())
        elif current is not None:
            if text and labels:
                current.labels += labels
                labels = []
            current.lines.append(line)
        i += 1
    return entries


def convert(entry):
    """The entry's body and summary from its lines; False when it says too little to keep."""
    lines = entry.lines
    if entry.api:
        # Further signatures and the directive's options come before its first blank line.
        while lines and lines[0].strip():
            lines = lines[1:]
    body, size = [], 0
    for part in blocks(lines, entry.language):
        if size + len(part) > MAX_BODY:
            if not body:  # one block longer than a body may be: its start, a fence closed
                fence = re.match(r"`{3,}", part)
                body.append(part[:MAX_BODY].rsplit("\n", 1)[0] + (f"\n{fence[0]}" if fence else ""))
            break
        body.append(part)
        size += len(part) + 2
    entry.body = "\n\n".join(body)
    not_prose = re.compile(r"[`>#|\\]|\*\*|\*(New in|Changed in|Deprecated|Availability)")
    prose = next((p for p in body if not not_prose.match(p)), "")
    entry.summary = cut(plain(prose, keep_refs=True), MAX_SUMMARY) or entry.title
    return len(plain(entry.body)) >= 60


def read(docs=DOCS):
    """Every entry of the documentation, converted, titled and slugged, in ORDER."""
    paths = [
        os.path.relpath(os.path.join(root, name), docs)
        for root, _, files in os.walk(docs)
        for name in files
        if name.endswith(".rst.txt")
    ]
    rank = lambda p: next(
        (n for n, d in enumerate(ORDER) if p == d or p.startswith(d + "/")), len(ORDER)
    )
    entries = []
    for path in sorted(paths, key=lambda p: (rank(p), p)):
        if path.startswith("includes/"):
            continue
        with open(os.path.join(docs, path), encoding="utf-8", errors="replace") as source:
            entries += [e for e in split(path, source.read()) if convert(e)]
    # A heading such as "Examples" comes back in many files: the file tells them apart.
    repeated = Counter(e.title for e in entries)
    taken = set()
    for entry in entries:
        if repeated[entry.title] > 1:
            entry.title = f"{entry.title} ({stem(entry.path)})"
        entry.title = cut(entry.title, MAX_TITLE) or stem(entry.path)
        base = slugify(entry.title)[:MAX_SLUG].strip("-") or "section"
        entry.slug = unique(base, taken)
    return entries


def stem(path):
    return os.path.basename(path).removesuffix(".rst.txt")


def unique(base, taken):
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    taken.add(slug)
    return slug


def tags(path):
    directory = path.split("/")[0] if "/" in path else "docs"
    return [t[:40].strip("-") for t in dict.fromkeys([directory, slugify(stem(path))]) if t]


def difficulty(path, rng):
    weights = {"tutorial": (6, 3, 1), "reference": (1, 3, 6), "c-api": (0, 2, 8),
               "extending": (0, 3, 7)}.get(path.split("/")[0], (2, 5, 3))
    return rng.choices(["beginner", "intermediate", "advanced"], weights)[0]


def write(directory, count, docs=DOCS, seed=11):
    """Writes `count` article files into `directory`; returns their slugs in writing order."""
    print(f"reading {docs}…", file=sys.stderr)
    entries = read(docs)
    print(f"{len(entries)} entries in the documentation; writing {count} files", file=sys.stderr)
    by_label = {label: e for e in entries for label in e.labels}
    written_once = {e.slug for e in entries[:count]}

    def resolve(match, link=True):
        target = by_label.get(match[1])
        shown = match[2] or (target.title if target else match[1].replace("-", " "))
        if link and target and target.slug in written_once:
            return f"[{shown.replace('[', '(').replace(']', ')')}](/q/{target.slug})"
        return shown if link else shown.replace("\\<", "<")

    quote = lambda text: json.dumps(text, ensure_ascii=False)
    rng = random.Random(seed)
    os.makedirs(directory, exist_ok=True)
    taken = {e.slug for e in entries}
    slugs, lap = [], 1
    while len(slugs) < count:
        earlier = {}
        for entry in entries:
            if len(slugs) == count:
                break
            slug = entry.slug if lap == 1 else unique(f"{entry.slug}-{lap}", taken)
            title = entry.title if lap == 1 else f"{entry.title} ({lap})"
            same_file = earlier.setdefault(entry.path, [])
            related = [s for s, _ in rng.sample(same_file[-6:], min(2, len(same_file)))]
            links = rng.sample(same_file, min(3, len(same_file)))
            body = REF.sub(resolve, entry.body)
            if links:
                body += "\n\n## See also\n\n" + "\n".join(
                    f"- [{t.replace('[', '(').replace(']', ')')}](/q/{s})" for s, t in links)
            # Cut again: a `:ref:` named by its target's title may have grown.
            summary = cut(REF.sub(lambda m: resolve(m, False), entry.summary), MAX_SUMMARY)
            front = (
                f"+++\ntitle = {quote(title)}\nslug = {quote(slug)}\nkind = \"question\"\n"
                f"summary = {quote(summary)}\n"
                f"tags = {json.dumps(tags(entry.path))}\n"
                f"difficulty = \"{difficulty(entry.path, rng)}\"\nrelated = {json.dumps(related)}\n"
                "+++\n\n"
            )
            with open(os.path.join(directory, f"{slug}.md"), "w", encoding="utf-8") as out:
                out.write(front + body + "\n")
            same_file.append((slug, title))
            slugs.append(slug)
            if len(slugs) % 10000 == 0:
                print(f"  {len(slugs)}/{count} files written", file=sys.stderr)
        lap += 1
    return slugs


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory")
    parser.add_argument("--articles", type=int, default=100000)
    parser.add_argument("--docs", default=DOCS)
    args = parser.parse_args()
    if not os.path.isdir(args.docs):
        sys.exit(f"{args.docs} not found: install Debian's python3.11-doc")
    slugs = write(args.directory, args.articles, args.docs)
    print(f"wrote {len(slugs)} files to {args.directory}")


if __name__ == "__main__":
    main()
