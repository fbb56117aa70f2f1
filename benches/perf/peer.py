"""The Python peer of benches/perf.sh: what a Python developer would otherwise build. A minimal
Flask app that renders an article from the same SQLite data with Python-Markdown and Pygments
(through the codehilite extension) into a page of the same shape, and answers searches with
SQLite FTS5 (bm25) over the same articles. Run under gunicorn."""

import os
# pykb's schema (its views use ORDER BY inside aggregates) needs SQLite 3.44 or later, newer
# than many systems' Python links: perf.sh installs pysqlite3-binary, which bundles one.
try:
    import pysqlite3 as sqlite3
except ImportError:
    import sqlite3
import threading

import markdown
from flask import Flask, abort, jsonify, render_template_string, request

DATABASE = os.environ["PEER_DATABASE"]
app = Flask(__name__)
local = threading.local()

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }} · pykb</title>
<meta name="description" content="{{ summary }}"><link rel="stylesheet" href="/static/style.css"></head>
<body><main><article><h1>{{ title }}</h1><p class="lead">{{ summary }}</p>
<div class="prose">{{ body|safe }}</div></article>
<section><h2>Related questions</h2><ol>{% for r in related %}<li><a href="/q/{{ r[0] }}">{{ r[1] }}</a></li>{% endfor %}</ol></section>
</main></body></html>"""


def db():
    if not hasattr(local, "conn"):
        local.conn = sqlite3.connect(f"file:{DATABASE}?mode=ro", uri=True, check_same_thread=False)
        local.conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.fts USING fts5(slug UNINDEXED, title, summary, body)")
        local.conn.execute("INSERT INTO temp.fts SELECT slug, title, summary, body FROM articles JOIN article_bodies ON article_id = id WHERE status = 'published'")
    return local.conn


@app.get("/q/<slug>")
def article(slug):
    row = db().execute(
        "SELECT id, title, summary, body FROM articles JOIN article_bodies ON article_id = id WHERE slug = ? AND status = 'published'", (slug,)
    ).fetchone()
    if row is None:
        abort(404)
    related = db().execute(
        "SELECT a.slug, a.title FROM related_links r JOIN articles a ON a.id = r.target_id "
        "WHERE r.article_id = ? AND a.status = 'published' ORDER BY r.position",
        (row[0],),
    ).fetchall()
    body = markdown.markdown(row[3], extensions=["fenced_code", "codehilite", "tables"])
    return render_template_string(PAGE, title=row[1], summary=row[2], body=body, related=related)


@app.get("/api/search")
def search():
    q = request.args.get("q", "")
    terms = " OR ".join('"' + t.replace('"', '""') + '"' for t in q.split())
    if not terms:
        return jsonify(hits=[])
    rows = db().execute(
        "SELECT slug, title, snippet(fts, 3, '<mark>', '</mark>', '…', 24) FROM fts WHERE fts MATCH ? "
        "ORDER BY bm25(fts, 10.0, 4.0, 1.0) LIMIT 10",
        (terms,),
    ).fetchall()
    return jsonify(hits=[{"slug": s, "title": t, "snippet": n} for s, t, n in rows])
