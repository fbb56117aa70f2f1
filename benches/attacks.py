#!/usr/bin/env python3
"""The three attacks of the hardening review, against a pykb binary on loopback.

    python3 benches/attacks.py [--binary target/release/pykb] [--skip-slow] [--skip-flood]

Starts the binary on a fresh data directory and a free port, then, one after another:
  1. preview bomb: anonymous POST /admin/preview with `title=x&body=` + '-+'*50000 + 'x'
     (the body a form sends for 50,000 nested lists), alone and then two at once while
     /healthz is timed;
  2. cache flood: 600 requests each to /feed.xml?x=N and
     /q/releasing-memory-in-python?cachebust=N with Accept-Encoding: br, gzip;
  3. sign-in burst: 150 wrong passwords for `admin` at once from one address.
Prints each attack's time, statuses and the server's resident memory (VmRSS; the peak is
sampled every 10 ms). Only the standard library; stops the server at the end.
"""

import argparse
import collections
import http.client
import re
import shutil
import sys
import tempfile
import threading
import time

from serverkit import rss_mib, spawn


class Peak:
    """Samples a process's resident memory until stopped."""

    def __init__(self, pid):
        self.pid, self.peak, self.running = pid, rss_mib(pid), True
        self.thread = threading.Thread(target=self.sample, daemon=True)
        self.thread.start()

    def sample(self):
        while self.running:
            self.peak = max(self.peak, rss_mib(self.pid))
            time.sleep(0.01)

    def stop(self):
        self.running = False
        self.thread.join()
        return self.peak


def request(port, method, path, body=None, headers=None, timeout=300):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    started = time.monotonic()
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    data = response.read()
    elapsed = time.monotonic() - started
    connection.close()
    return response.status, response.getheaders(), data, elapsed


def in_parallel(count, job):
    results = [None] * count

    def run(i):
        try:
            results[i] = job(i)
        except Exception as err:  # a refused or reset connection is a result too
            results[i] = ("error", str(err))

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


PASSWORD = "attacks benchmark password"


def signed_in(port):
    """An editor's session cookie and a CSRF token of the article form."""
    _, headers, page, _ = request(port, "GET", "/admin/login")
    visitor = next(v.split(";")[0] for k, v in headers if k.lower() == "set-cookie")
    token = re.search(rb'name="csrf_token" value="([^"]+)"', page).group(1).decode()
    form = f"username=admin&password={PASSWORD.replace(' ', '+')}&csrf_token={token}"
    _, headers, _, _ = request(
        port,
        "POST",
        "/admin/login",
        form,
        {"Content-Type": "application/x-www-form-urlencoded", "Cookie": visitor},
    )
    cookies = [v.split(";")[0] for k, v in headers if k.lower() == "set-cookie"]
    session = next(c for c in cookies if not c.endswith("="))
    _, _, page, _ = request(port, "GET", "/admin/articles/new", headers={"Cookie": session})
    token = re.search(rb'name="csrf_token" value="([^"]+)"', page).group(1).decode()
    return session, token


def preview_bomb(port, pid):
    form = "title=x&body=" + "-+" * 50000 + "x"
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    status, _, _, elapsed = request(port, "POST", "/admin/preview", form, headers)
    print(f"  one anonymous preview: {status} after {elapsed:.2f} s")
    session, token = signed_in(port)
    editor = dict(headers, Cookie=session)
    status, _, _, elapsed = request(
        port, "POST", "/admin/preview", form + f"&csrf_token={token}", editor
    )
    print(f"  the same from a signed-in editor: {status} after {elapsed:.2f} s")
    healthz = []

    def bomb(_):
        return request(port, "POST", "/admin/preview", form, headers)[0]

    def probe():
        time.sleep(0.2)
        healthz.append(request(port, "GET", "/healthz")[3])

    prober = threading.Thread(target=probe)
    prober.start()
    started = time.monotonic()
    statuses = in_parallel(2, bomb)
    prober.join()
    print(
        f"  two at once: {statuses} after {time.monotonic() - started:.2f} s; "
        f"/healthz meanwhile answered in {healthz[0] * 1000:.1f} ms; RSS {rss_mib(pid):.0f} MiB"
    )


def cached_pages(port):
    body = request(port, "GET", "/metrics")[2].decode()
    found = re.search(r"^pykb_page_cache_entries (\d+)", body, re.M)
    return found.group(1) if found else "?"


def cache_flood(port, pid):
    headers = {"Accept-Encoding": "br, gzip"}
    for rounds in (1, 2):
        before = rss_mib(pid)
        started = time.monotonic()
        statuses = collections.Counter()
        for n in range(600):
            n += rounds * 1000
            for path in (f"/feed.xml?x={n}", f"/q/releasing-memory-in-python?cachebust={n}"):
                statuses[request(port, "GET", path, headers=headers)[0]] += 1
        elapsed = time.monotonic() - started
        print(
            f"  round {rounds}: 1,200 junk queries in {elapsed:.1f} s, statuses "
            f"{dict(statuses)}: RSS {before:.0f} -> {rss_mib(pid):.0f} MiB, "
            f"{cached_pages(port)} pages cached"
        )


def sign_in_burst(port, pid):
    status, headers, page, _ = request(port, "GET", "/admin/login")
    cookie = next(v.split(";")[0] for k, v in headers if k.lower() == "set-cookie")
    token = re.search(rb'name="csrf_token" value="([^"]+)"', page).group(1).decode()
    form = f"username=admin&password=wrong+guess&csrf_token={token}"
    post_headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
    peak = Peak(pid)
    before = rss_mib(pid)
    started = time.monotonic()
    results = in_parallel(150, lambda _: request(port, "POST", "/admin/login", form, post_headers))
    elapsed = time.monotonic() - started
    highest = peak.stop()
    statuses = collections.Counter(r[0] for r in results)
    started = time.monotonic()
    request(port, "GET", "/healthz")
    print(
        f"  150 wrong passwords at once: {dict(statuses)} (401 = checked) in {elapsed:.1f} s; "
        f"RSS {before:.0f} MiB, peak {highest:.0f} MiB"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default="target/release/pykb")
    parser.add_argument("--skip-slow", action="store_true", help="skip the preview bomb")
    parser.add_argument("--skip-flood", action="store_true", help="skip the cache flood")
    args = parser.parse_args()
    data = tempfile.mkdtemp(prefix="pykb-attacks-")
    server, port = spawn(args.binary, data, PASSWORD, METRICS="1")
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if request(port, "GET", "/healthz", timeout=2)[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                sys.exit("the server did not start")
            time.sleep(0.1)
        print(f"{args.binary} on port {port}, RSS after start {rss_mib(server.pid):.0f} MiB")
        print("1. preview bomb")
        if args.skip_slow:
            print("  skipped")
        else:
            preview_bomb(port, server.pid)
        print("2. cache flood")
        if args.skip_flood:
            print("  skipped")
        else:
            cache_flood(port, server.pid)
        print("3. sign-in burst")
        sign_in_burst(port, server.pid)
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
