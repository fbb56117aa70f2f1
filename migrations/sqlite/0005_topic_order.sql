-- Each article's place in the topic order, copied onto its tag rows, so that the neighbours
-- of an article in a topic are two index seeks instead of a sort of the whole topic: at
-- 100,000 articles a topic has thousands of members, and every save asked for neighbours in
-- each of the article's topics. The order is that of the topic pages: difficulty, then the
-- title in ASCII lowercase (SQLite's `lower`), then id; only published questions have
-- neighbours. `db::articles::sync_topic_order` keeps the copy, whenever tags, title,
-- difficulty, kind or status change.
ALTER TABLE article_tags ADD COLUMN neighbour INTEGER NOT NULL DEFAULT 0;
ALTER TABLE article_tags ADD COLUMN sort_level INTEGER NOT NULL DEFAULT 0;
ALTER TABLE article_tags ADD COLUMN sort_title TEXT NOT NULL DEFAULT '';

UPDATE article_tags
SET neighbour = (SELECT a.status = 'published' AND a.kind = 'question'
                 FROM articles a WHERE a.id = article_tags.article_id),
    sort_level = (SELECT CASE a.difficulty WHEN 'beginner' THEN 0
                                           WHEN 'intermediate' THEN 1 ELSE 2 END
                  FROM articles a WHERE a.id = article_tags.article_id),
    sort_title = (SELECT lower(a.title) FROM articles a WHERE a.id = article_tags.article_id);

CREATE INDEX article_tags_topic_order
    ON article_tags (tag_id, neighbour, sort_level, sort_title, article_id);

-- The API's pages of published articles by title (a keyset cursor on title, then id).
CREATE INDEX articles_published_by_title
    ON articles (title COLLATE NOCASE, id) WHERE status = 'published';
