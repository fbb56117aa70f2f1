#!/usr/bin/env python3
"""How pykb behaves with many articles: import, start-up, saves, page sizes, memory.

    python3 benches/scale.py [--articles 10000] [--binary target/release/pykb] [--saves 40]

Writes a synthetic corpus of N questions in the `content/` format (30 topics, two tags each,
two related entries and three body links to earlier entries, a code block each), imports it
into a fresh data directory with `pykb import`, starts the binary there and measures, beside
the same figures for the 62 seed articles (a fresh data directory without an import):
import time, start-up (to /healthz 200 and to the first page), save p50/p99 through the admin
form (GET of the edit page + POST, as a browser does), the sizes and first/second-request
latency of home, a topic, an article, the API list and the sitemap, and resident memory.
Only the standard library. Not a test: figures for the README and the issue notes.
"""

import argparse
import html
import http.client
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from serverkit import rss_mib, spawn

PASSWORD = "scale benchmark password"
TOPICS = [f"topic-{n:02d}" for n in range(30)]
WORDS = (
    "memory reference count garbage collector generator iterator decorator closure class "
    "instance attribute method dictionary hash list tuple string bytes file thread process "
    "lock queue module package import exception context manager descriptor slot"
).split()


def corpus(directory, count, seed=7):
    rng = random.Random(seed)
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


def quote(text):
    from urllib.parse import quote_plus

    return quote_plus(text)


def start(binary, data):
    """Starts the server; returns it, its port, and the seconds to the first page and to a
    healthy /healthz (index open and caught up)."""
    started = time.monotonic()
    server, port = spawn(binary, data, PASSWORD)
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


def measure(binary, data, label, slugs, saves):
    server, port, first_page, healthy = start(binary, data)
    client = Client(port)
    try:
        print(f"{label}: first page after {first_page:.2f} s, /healthz 200 after {healthy:.2f} s")
        pages = [
            ("home", "/"),
            ("topic", f"/tags/{TOPICS[0]}" if slugs[0].startswith("scale") else "/tags/memory"),
            ("article", f"/q/{slugs[len(slugs) // 2]}"),
            ("api list", "/api/articles"),
            ("sitemap", "/sitemap.xml"),
        ]
        for name, path in pages:
            status, body, first = client.request("GET", path)
            _, _, second = client.request("GET", path)
            print(
                f"  {name:9} {path:40} {status} {len(body) / 1024:9.1f} KiB  "
                f"first {first * 1000:7.1f} ms, cached {second * 1000:6.2f} ms"
            )
        _, page, _ = client.request("GET", "/admin/login")
        client.request(
            "POST",
            "/admin/login",
            f"username=admin&password={quote(PASSWORD)}&csrf_token={token(page)}",
            form=True,
        )
        rng = random.Random(3)
        times = []
        for n in range(saves):
            # Ids run from 1 in a fresh data directory (seed or import order).
            article_id = rng.randrange(1, len(slugs) + 1)
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
            status, _, _ = client.request(
                "POST", f"/admin/articles/{article_id}", form, form=True
            )
            times.append(time.monotonic() - began)
            if status != 303:
                print(f"  save {n} answered {status}")
        times.sort()
        p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
        print(
            f"  save through the form (GET + POST, {saves}): p50 "
            f"{statistics.median(times) * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms"
        )
        print(f"  resident memory {rss_mib(server.pid):.0f} MiB")
    finally:
        server.terminate()
        server.wait()
    server, _, first_page, healthy = start(binary, data)
    server.terminate()
    server.wait()
    print(f"  restarted: first page after {first_page:.2f} s, /healthz 200 after {healthy:.2f} s")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--binary", default="target/release/pykb")
    parser.add_argument("--saves", type=int, default=40)
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    work = tempfile.mkdtemp(prefix="pykb-scale-")
    try:
        seed_dir = os.path.join(work, "seed")
        seed_slugs = [f[:-3] for f in sorted(os.listdir("content")) if f.endswith(".md")]
        measure(binary, seed_dir, "62 seed articles", seed_slugs, args.saves)

        files = os.path.join(work, "corpus")
        os.makedirs(files)
        corpus(files, args.articles)
        data = os.path.join(work, "data")
        started = time.monotonic()
        subprocess.run(
            [binary, "import", files],
            env=dict(os.environ, PYKB_DATA_DIR=data, RUST_LOG="warn"),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        print(f"import of {args.articles} files: {time.monotonic() - started:.1f} s")
        slugs = [f"scale-question-{n:06d}" for n in range(args.articles)]
        measure(binary, data, f"{args.articles} articles", slugs, args.saves)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
