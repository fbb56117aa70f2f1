-- The search outbox becomes the site's change log. Rows are no longer removed once this node's
-- index has applied them: each node (several may share a PostgreSQL database) follows the log
-- from where its own index stopped (recorded in the index's last commit), and forgets the
-- cached pages each row names. Rows are pruned by age, the newest always kept (so SQLite never
-- hands out an id again), and `settings.change_log_pruned_through` says how far: an index
-- whose position is older rebuilds from the database.
--
-- `pages`: slugs of the articles whose pages show the change (comma-separated), or `*` for
-- every page; `slugs`: the changed article's own slugs (old and new).
ALTER TABLE search_outbox ADD COLUMN pages TEXT NOT NULL DEFAULT '*';
ALTER TABLE search_outbox ADD COLUMN slugs TEXT NOT NULL DEFAULT '';
CREATE INDEX search_outbox_created ON search_outbox (created_at);
