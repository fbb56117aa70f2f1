#!/usr/bin/env python3
"""How pykb behaves with many articles: import, start-up, saves, pages, search, memory.

    python3 benches/scale.py [--articles 10000] [--corpus docs|synthetic] [--saves 40]
                             [--binary target/release/pykb] [--keep DIR]

Writes a corpus of N articles in the `content/` format (`docs`: the Python 3.11 documentation,
one question per section, API entry and glossary term, see `docs_corpus.py`; `synthetic`: 30
topics, two tags each, two related entries, three body links and a code block each), imports it
into a fresh data directory with `pykb import`, starts the binary there and measures, beside the
same figures for the 62 seed articles (a fresh data directory without an import): import time,
start-up (to the first page and to /healthz 200), save p50/p99 through the admin form (GET of
the edit page + POST, as a browser does), the sizes and latency of home, the topic list, the
most common topic, an article, the API and the sitemap (the first request after start, then the
median of repeats served from the page cache, and the median with `PYKB_PAGE_CACHE=0` in a
second start), search p50/p99 with the search cache off over QUERIES on CONNECTIONS keep-alive
connections at once (HTML and API), and resident memory (now, of it anonymous, and peak). The
client is Python threads on the same machine: its own time is inside every figure.
Only the standard library. Not a test: figures for the README and the issue notes.
"""

import argparse
import html
import http.client
import os
import queue
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from urllib.parse import quote_plus as quote

import docs_corpus
from serverkit import memory_mib, spawn

PASSWORD = "scale benchmark password"
CONTENT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "content")
TOPICS = [f"topic-{n:02d}" for n in range(30)]
WORDS = (
    "memory reference count garbage collector generator iterator decorator closure class "
    "instance attribute method dictionary hash list tuple string bytes file thread process "
    "lock queue module package import exception context manager descriptor slot"
).split()
# What readers type, a few misspelt, a phrase and an exclusion among them.
QUERIES = [
    "list comprehension", "generator expression", "decorator", "context manager",
    "garbage collection", "reference counting", "dictionary order", "mutable default argument",
    "global interpreter lock", "asyncio gather", "re.split", "os.path.join",
    "json dumps indent", "subprocess run capture output", "dataclass frozen",
    "functools lru_cache", "itertools groupby", "collections defaultdict", "threading lock",
    "__init_subclass__", "sys.getrefcount", "weakref finalize", "pathlib glob",
    "datetime timezone utc", "logging basicConfig", "unittest mock patch", "typing protocol",
    "exception chaining", "f-string format", "metaclass", "descriptor protocol",
    "__slots__ memory", "multiprocessing pool map", "enum auto", "heapq nlargest",
    "garbage colector", "decortor", "dictionnary comprehension", "asyncronous generator",
    '"context manager"', "tuple -list",
]
CONNECTIONS = 16
SEARCH_ROUNDS = 10  # each query this many times per endpoint
REPEATS = 20  # requests per page for each median


def corpus(directory, count, seed=7):
    rng = random.Random(seed)
    slugs = []
    for n in range(count):
        slug = f"scale-question-{n:06d}"
        words = rng.sample(WORDS, 6)
        title = f"How does {words[0]} relate to {words[1]} ({n})?"
        tags = rng.sample(TOPICS, 2)
        earlier = [f"scale-question-{rng.randrange(n):06d}" for _ in range(5)] if n else []
        related = sorted(set(earlier[:2]))
        links = " ".join(f"[see this](/q/{s})" for s in earlier[2:])
        body = (
            f"The short answer: {' '.join(words)}.\n\n## Why\n\n"
            + " ".join(rng.choice(WORDS) for _ in range(120))
            + f"\n\n{links}\n\n```python\nprint({n} + 1)\n```\n\n```output\n{n + 1}\n```\n"
        )
        front = (
            f'+++\ntitle = "{title}"\nslug = "{slug}"\nkind = "question"\n'
            f'summary = "About {words[0]} and {words[1]}."\ntags = {tags!r}\n'
            f'difficulty = "{rng.choice(["beginner", "intermediate", "advanced"])}"\n'
            f"related = {related!r}\n+++\n\n"
        ).replace("'", '"')
        with open(os.path.join(directory, f"{slug}.md"), "w") as out:
            out.write(front + body)
        slugs.append(slug)
    return slugs


def most_common_tag(directory):
    """The tag most files of `directory` carry, read from their front matter."""
    counts = Counter()
    for name in os.listdir(directory):
        if name.endswith(".md"):
            with open(os.path.join(directory, name), encoding="utf-8") as file:
                for line in file:
                    if line.startswith("tags = "):
                        counts.update(re.findall(r'"([^"]+)"', line))
                        break
    return counts.most_common(1)[0][0]


class Client:
    def __init__(self, port):
        self.port, self.cookies = port, {}

    def request(self, method, path, body=None, form=False):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if form:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.monotonic()
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        elapsed = time.monotonic() - started
        for key, value in response.getheaders():
            if key.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";")[0]
        connection.close()
        return response.status, data, elapsed


def token(page):
    return re.search(rb'name="csrf_token" value="([^"]+)"', page).group(1).decode()


def percentile(times, fraction):
    times = sorted(times)
    return times[min(len(times) - 1, int(len(times) * fraction))]


def start(binary, data, **settings):
    """Starts the server; returns it, its port, and the seconds to the first page and to a
    healthy /healthz (index open and caught up)."""
    started = time.monotonic()
    server, port = spawn(binary, data, PASSWORD, **settings)
    client = Client(port)
    first_page = None
    while True:
        try:
            if first_page is None and client.request("GET", "/")[0] == 200:
                first_page = time.monotonic() - started
            if client.request("GET", "/healthz")[0] == 200:
                break
        except OSError:
            pass
        if server.poll() is not None or time.monotonic() - started > 600:
            sys.exit("the server did not start")
        time.sleep(0.02)
    healthy = time.monotonic() - started
    return server, port, first_page or healthy, healthy


def stop(server):
    server.terminate()
    server.wait()


def repeated(port, path, count=REPEATS):
    """The median of `count` GETs of `path` on one keep-alive connection."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    times = []
    for _ in range(count):
        began = time.monotonic()
        connection.request("GET", path)
        connection.getresponse().read()
        times.append(time.monotonic() - began)
    connection.close()
    return statistics.median(times)


def concurrent(port, paths, connections=CONNECTIONS):
    """Requests every path once, `connections` keep-alive connections at once; returns the
    latencies, the statuses other than 200 and the requests per second."""
    jobs = queue.SimpleQueue()
    for path in paths:
        jobs.put(path)
    times, others, lock = [], Counter(), threading.Lock()

    def worker():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        mine, odd = [], Counter()
        while True:
            try:
                path = jobs.get_nowait()
            except queue.Empty:
                break
            began = time.monotonic()
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            mine.append(time.monotonic() - began)
            if response.status != 200:
                odd[response.status] += 1
        connection.close()
        with lock:
            times.extend(mine)
            others.update(odd)

    began = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return times, dict(others), len(paths) / (time.monotonic() - began)


def cpu_seconds(pid):
    """User and system CPU time the process has used so far, in seconds."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_until_idle(pid, limit=300):
    """Waits until the server uses under 5% of a core over a second, twice in a row (at most
    `limit` seconds); returns the seconds waited."""
    began = time.monotonic()
    quiet = 0
    before = cpu_seconds(pid)
    while quiet < 2 and time.monotonic() - began < limit:
        time.sleep(1)
        now = cpu_seconds(pid)
        quiet = quiet + 1 if now - before < 0.05 else 0
        before = now
    return time.monotonic() - began


def saves(port, count, articles):
    """`count` saves through the admin form of articles picked from ids 1..`articles` (ids run
    from 1 in a fresh data directory, in seed or import order); returns the seconds of each
    and the statuses other than 303."""
    client = Client(port)
    _, page, _ = client.request("GET", "/admin/login")
    client.request(
        "POST",
        "/admin/login",
        f"username=admin&password={quote(PASSWORD)}&csrf_token={token(page)}",
        form=True,
    )
    rng = random.Random(3)
    times, failed = [], []
    for n in range(count):
        article_id = rng.randrange(1, articles + 1)
        began = time.monotonic()
        _, edit, _ = client.request("GET", f"/admin/articles/{article_id}/edit")
        fields = dict(
            (m.group(1).decode(), m.group(2).decode())
            for m in re.finditer(rb'<input[^>]*name="([a-z_]+)"[^>]*value="([^"]*)"', edit)
        )
        body = re.search(rb'<textarea[^>]*name="body"[^>]*>(.*?)</textarea>', edit, re.S)
        fields = {k: html.unescape(v) for k, v in fields.items()}
        fields["body"] = html.unescape(body.group(1).decode()) if body else "Body."
        fields["title"] = f"{fields.get('title', 'Title')} (edit {n})"[:190]
        for select in ("kind", "difficulty", "status"):
            chosen = re.search(
                rb'<select[^>]*name="' + select.encode()
                + rb'"(?:(?!</select>).)*?<option value="([^"]+)" selected',
                edit,
                re.S,
            )
            if chosen:
                fields[select] = chosen.group(1).decode()
        form = "&".join(f"{k}={quote(v)}" for k, v in fields.items())
        status, _, _ = client.request("POST", f"/admin/articles/{article_id}", form, form=True)
        times.append(time.monotonic() - began)
        if status != 303:
            failed.append(status)
    return times, failed


def measure(binary, data, label, slugs, topic, save_count):
    """Every figure of one data directory, as a dict for `table`."""
    figures = {"label": label}
    pages = [
        ("home", "/"),
        ("topic list", "/tags"),
        ("topic", f"/tags/{topic}"),
        ("article", f"/q/{slugs[len(slugs) // 2]}"),
        ("API article", f"/api/articles/{slugs[len(slugs) // 2]}"),
        ("API list", "/api/articles"),
        ("sitemap", "/sitemap.xml"),
    ]
    figures["pages"] = pages
    print(f"== {label}: starting", file=sys.stderr)
    server, port, *figures["first start"] = start(binary, data)
    try:
        client = Client(port)
        for name, path in pages:
            status, body, first = client.request("GET", path)
            figures[name] = [status, len(body), first, repeated(port, path)]
        # After an import the index merges its segments in the background for a while; saves
        # are measured on a settled server, as an editor meets it.
        waited = wait_until_idle(server.pid)
        print(f"== {label}: {save_count} saves through the form (server idle after {waited:.0f} s)", file=sys.stderr)
        times, failed = saves(port, save_count, len(slugs))
        figures["saves"] = (statistics.median(times), percentile(times, 0.99), failed)
        figures["memory after saves"] = memory_mib(server.pid)
    finally:
        stop(server)
    print(f"== {label}: pages and search with the page and search caches off", file=sys.stderr)
    server, port, *figures["restart"] = start(binary, data, PAGE_CACHE="0", SEARCH_CACHE="0")
    try:
        for name, path in pages:
            figures[name].append(repeated(port, path))
        rng = random.Random(5)
        for endpoint in ("/search", "/api/search"):
            paths = [f"{endpoint}?q={quote(q)}" for q in QUERIES] * SEARCH_ROUNDS
            rng.shuffle(paths)
            concurrent(port, paths[: len(QUERIES)])  # warm-up: the index's files into memory
            times, others, rate = concurrent(port, paths)
            figures[endpoint] = (
                statistics.median(times), percentile(times, 0.99), rate, others, len(times)
            )
        figures["memory after search"] = memory_mib(server.pid)
    finally:
        stop(server)
    figures["data"] = {
        part: sum(
            os.path.getsize(os.path.join(root, f))
            for root, _, files in os.walk(os.path.join(data, part) if part else data)
            for f in files
        )
        / 2**20
        for part in ("", "index")
    }
    return figures


def lines(f):
    """One run's figures as (label, value), in the table's order."""
    ms = lambda seconds: f"{seconds * 1000:.1f}"
    out = [
        ("import", f"{f['import']:.1f} s" if "import" in f else "–"),
        ("first start: first page / healthz 200", "{:.2f} / {:.2f} s".format(*f["first start"])),
        ("restart, caches off: first page / healthz", "{:.2f} / {:.2f} s".format(*f["restart"])),
    ]
    p50, p99, failed = f["saves"]
    failures = f" ({len(failed)} failed: {sorted(set(failed))})" if failed else ""
    out.append(("save via the form p50 / p99", f"{ms(p50)} / {ms(p99)} ms{failures}"))
    for endpoint in ("/search", "/api/search"):
        p50, p99, rate, others, _ = f[endpoint]
        out.append((
            f"{endpoint} p50 / p99 ({CONNECTIONS} conn, no cache)",
            f"{ms(p50)} / {ms(p99)} ms, {rate:.0f}/s" + (f" {others}" if others else ""),
        ))
    for name, _ in f["pages"]:
        status, size, first, cached, uncached = f[name]
        answered = f" ({status})" if status != 200 else ""
        out.append((f"{name}: size", f"{size / 1024:.1f} KiB{answered}"))
        out.append((
            f"{name}: first / cached / uncached",
            f"{ms(first)} / {ms(cached)} / {ms(uncached)} ms",
        ))
    for when in ("memory after saves", "memory after search"):
        out.append((f"{when}: RSS (anon) / peak", "{:.0f} ({:.0f}) / {:.0f} MiB".format(*f[when])))
    out.append((
        "data directory / of it the index", "{:.0f} / {:.0f} MiB".format(*f["data"].values())
    ))
    return out


def table(seed, big):
    """The figures of both runs side by side, then the paths that differ between them."""
    rows = list(zip(lines(seed), lines(big)))
    width = max(len(label) for (label, _), _ in rows) + 2
    print(f"{'':{width}}{seed['label']:>26}{big['label']:>34}")
    for (label, left), (_, right) in rows:
        print(f"{label:{width}}{left:>26}{right:>34}")
    for (name, path), (_, seed_path) in zip(big["pages"], seed["pages"]):
        if path != seed_path:
            print(f"  {name}: {seed_path} (seed), {path}")


def import_files(binary, files, data):
    """`pykb import`, its progress passed on to stderr (every 10,000th file); the seconds."""
    started = time.monotonic()
    process = subprocess.Popen(
        [binary, "import", files],
        env=dict(os.environ, PYKB_DATA_DIR=data, RUST_LOG="warn", PYKB_VERIFY="0"),
        stdout=subprocess.PIPE,
        text=True,
    )
    for line in process.stdout:
        progress = re.match(r"\s*(\d+)/\d+ files applied", line)
        if not progress or int(progress.group(1)) % 10000 == 0:
            print(f"  import: {line.rstrip()}", file=sys.stderr)
    if process.wait() != 0:
        sys.exit(f"pykb import failed (exit status {process.returncode}); see above")
    return time.monotonic() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--corpus", choices=["docs", "synthetic"], default="docs")
    parser.add_argument("--binary", default="target/release/pykb")
    parser.add_argument("--saves", type=int, default=40)
    parser.add_argument("--keep", metavar="DIR", help="import into DIR and keep it (for load.sh)")
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    if args.keep and os.path.exists(args.keep) and os.listdir(args.keep):
        sys.exit(f"{args.keep} is not empty: --keep needs a new directory")
    work = tempfile.mkdtemp(prefix="pykb-scale-")
    try:
        seed_slugs = sorted(f[:-3] for f in os.listdir(CONTENT) if f.endswith(".md"))
        seed = measure(
            binary, os.path.join(work, "seed"), f"{len(seed_slugs)} seed articles", seed_slugs,
            most_common_tag(CONTENT), args.saves,
        )

        files = os.path.join(work, "corpus")
        os.makedirs(files)
        print(f"== writing {args.articles} articles ({args.corpus} corpus)", file=sys.stderr)
        if args.corpus == "docs":
            slugs = docs_corpus.write(files, args.articles)
        else:
            slugs = corpus(files, args.articles)
        data = os.path.abspath(args.keep) if args.keep else os.path.join(work, "data")
        print(f"== importing into {data}", file=sys.stderr)
        seconds = import_files(binary, files, data)
        topic = most_common_tag(files)
        shutil.rmtree(files)
        label = f"{args.articles} articles ({args.corpus})"
        big = measure(binary, data, label, slugs, topic, args.saves)
        big["import"] = seconds
        table(seed, big)
        if args.keep:
            print(f"kept the data directory {data} (admin password: {PASSWORD!r})")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
