"""The editor beside the load run: signs in and saves one article about five times a second
until told to stop (SIGTERM), then prints how many saves succeeded and anything else it saw.
The article's slug is new each run, so a data directory can serve several runs."""

import http.cookiejar
import os
import re
import signal
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

BASE, PASSWORD, SECONDS = sys.argv[1], sys.argv[2], float(sys.argv[3])


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


jar = http.cookiejar.CookieJar()
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)


def call(path, fields=None):
    data = urllib.parse.urlencode(fields).encode() if fields is not None else None
    try:
        with opener.open(BASE + path, data=data, timeout=10) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read().decode()


def token(html):
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


status, _, html = call("/admin/login")
status, headers, _ = call("/admin/login", {"username": "admin", "password": PASSWORD, "csrf_token": token(html)})
assert status == 303, f"sign-in answered {status}"
_, _, html = call("/admin/articles/new")
csrf = token(html)

ok, other, article, version = 0, [], None, 0
stop = False
signal.signal(signal.SIGTERM, lambda *_: globals().update(stop=True))
deadline = time.monotonic() + SECONDS
while not stop and time.monotonic() < deadline:
    started = time.monotonic()
    fields = {
        "title": "Load test article",
        "slug": f"load-test-article-{os.getpid()}",
        "kind": "question",
        "status": "published",
        "tags": "tooling",
        "body": f"Saved at {time.time():.3f} during the load run.\n",
        "version": str(version),
        "csrf_token": csrf,
    }
    status, headers, body = call("/admin/articles" if article is None else f"/admin/articles/{article}", fields)
    if status == 303:
        ok += 1
        version += 1
        article = headers["Location"].split("/")[3]
    else:
        other.append(status)
    time.sleep(max(0.0, 0.2 - (time.monotonic() - started)))
print(f"EDITOR saves_ok={ok} saves_failed={len(other)} statuses={sorted(set(other))}")
