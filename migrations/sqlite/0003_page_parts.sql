-- Bodies move out of `articles`, joined by what a page needs from them besides the HTML.
--
-- Why a table of their own: lists, neighbours and related links read many articles' titles
-- per page. With tens of kilobytes of Markdown and HTML inside each row, SQLite follows a row's
-- overflow pages to reach the columns stored after them, so a question page read about a
-- megabyte to show fifteen titles. `articles` rows are now small; a page reads one body.
--
-- The parts are worked out when a body is saved (or rendered again after a renderer change)
-- so that serving a page never parses Markdown: `headings` for the table of contents (JSON),
-- `links` the slugs the HTML links to (JSON, sorted) so a page query can tell which of them are
-- not published any more, `answer_json` the prose without code as a JSON string literal
-- safe inside <script>, for structured data. `body`, which
-- pages never read, comes last.
CREATE TABLE article_bodies (
    article_id INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    headings   TEXT    NOT NULL DEFAULT '[]',
    links      TEXT    NOT NULL DEFAULT '[]',
    answer_json TEXT   NOT NULL DEFAULT '""',
    body_html  TEXT    NOT NULL,
    body       TEXT    NOT NULL
);

-- The parts are filled in at the next start: RENDER_VERSION changed with this migration.
INSERT INTO article_bodies (article_id, body_html, body)
SELECT id, body_html, body FROM articles;

ALTER TABLE articles DROP COLUMN body_html;
ALTER TABLE articles DROP COLUMN body;

-- What a published article's page shows of other articles, and its tags, as one row: the
-- related entries, the links of its body that lead to entries not published, its neighbours in
-- its main topic. They depend on other articles (titles, statuses, topics), so every
-- transaction that changes articles works them all out again
-- (`db::articles::refresh_page_context`), and so does every start; a page view reads one row
-- instead of sorting a topic and probing a dozen articles.
CREATE TABLE page_context (
    article_id        INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    -- Tag names, comma-separated, in the editor's order.
    tags              TEXT    NOT NULL,
    -- JSON arrays of [slug, title, kind, difficulty].
    related           TEXT    NOT NULL,
    -- JSON array of slugs.
    unpublished_links TEXT    NOT NULL,
    -- JSON [previous, next] for questions (each [slug, title, kind, difficulty] or null);
    -- NULL for other kinds.
    neighbours        TEXT
);
