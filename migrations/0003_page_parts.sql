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
-- not published any more, `answer` the prose without code for structured data. `body`, which
-- pages never read, comes last.
CREATE TABLE article_bodies (
    article_id INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    headings   TEXT    NOT NULL DEFAULT '[]',
    links      TEXT    NOT NULL DEFAULT '[]',
    answer     TEXT    NOT NULL DEFAULT '',
    body_html  TEXT    NOT NULL,
    body       TEXT    NOT NULL
);

-- The parts are filled in at the next start: RENDER_VERSION changed with this migration.
INSERT INTO article_bodies (article_id, body_html, body)
SELECT id, body_html, body FROM articles;

ALTER TABLE articles DROP COLUMN body_html;
ALTER TABLE articles DROP COLUMN body;

-- Each published question's neighbours in its main topic (its tag at position 0), in the
-- order the topic's page lists it. Working them out takes a sort of the whole topic, so it is
-- done when articles change (`db::articles::refresh_neighbours`, in the same transaction) and
-- at every start, not on every page view.
CREATE TABLE topic_neighbours (
    article_id  INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    previous_id INTEGER,
    next_id     INTEGER
);
