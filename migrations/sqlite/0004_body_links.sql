-- Which entries each body links to, one row per link, so that a change to an entry finds the
-- bodies that link to it (their `page_context.unpublished_links` may change) through an index
-- instead of reading every body's `links` array. Kept by the same statements that write
-- `article_bodies.links`.
CREATE TABLE body_links (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    slug       TEXT    NOT NULL,
    PRIMARY KEY (article_id, slug)
) WITHOUT ROWID;

CREATE INDEX body_links_by_slug ON body_links (slug);

INSERT OR IGNORE INTO body_links (article_id, slug)
SELECT ab.article_id, linked.value FROM article_bodies ab, json_each(ab.links) linked;
