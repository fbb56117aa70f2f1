-- What many queries read about an article, written once (beside its status): its tag names in the editor's order
-- (comma-separated; the first is the main topic), its related entries' slugs in order, and
-- its link as pages show it, `[slug, title, kind, difficulty]`. A plain SELECT over
-- `articles`, so SQLite flattens it into the query that joins it on `article_id`: the
-- subqueries run only for the columns a query reads, for the rows it keeps.
--
-- `link` leaves the view as text (a view does not carry JSON's subtype): wrap it in `json()`
-- to nest it inside another JSON value.
CREATE VIEW article_lists AS
SELECT a.id AS article_id, a.status,
       coalesce((SELECT group_concat(t.name, ',' ORDER BY at.position)
                 FROM article_tags at JOIN tags t ON t.id = at.tag_id
                 WHERE at.article_id = a.id), '') AS tags,
       coalesce((SELECT group_concat(target.slug, ',' ORDER BY r.position)
                 FROM related_links r JOIN articles target ON target.id = r.target_id
                 WHERE r.article_id = a.id), '') AS related,
       json_array(a.slug, a.title, a.kind, a.difficulty) AS link
FROM articles a;
