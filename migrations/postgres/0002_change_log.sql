-- The search outbox becomes the site's change log (SQLite's 0014_change_log.sql says why).
-- Each node follows it from where its own index stopped and forgets the cached pages each
-- row names; a row's insert also signals the other nodes (NOTIFY pykb_changes, sent at
-- commit) so they follow at once rather than at their next poll.
--
-- `pages`: slugs of the articles whose pages show the change (comma-separated), or `*` for
-- every page; `slugs`: the changed article's own slugs (old and new).
ALTER TABLE search_outbox ADD COLUMN pages TEXT NOT NULL DEFAULT '*';
ALTER TABLE search_outbox ADD COLUMN slugs TEXT NOT NULL DEFAULT '';
CREATE INDEX search_outbox_created ON search_outbox (created_at);
