-- Review before publishing (PYKB_REVIEW=on). A reviewer is an editor who may also publish:
-- `can_publish` on an editor's account (the `role` column keeps its two values), read back as
-- one role through `access`.
ALTER TABLE users ADD COLUMN can_publish INTEGER NOT NULL DEFAULT 0 CHECK (can_publish IN (0, 1));
ALTER TABLE users ADD COLUMN access TEXT GENERATED ALWAYS AS
    (CASE WHEN role = 'editor' AND can_publish = 1 THEN 'reviewer' ELSE role END) VIRTUAL;

-- Who published a revision that went through review (its author_id is who submitted it).
ALTER TABLE revisions ADD COLUMN published_by INTEGER REFERENCES users (id) ON DELETE SET NULL;

-- A change waiting for a reviewer, one per article: readers keep seeing the article as it is
-- (for a new article: nothing) until a reviewer publishes it. `base_version` is the article's
-- version the change was made from; `draft` the submitted fields as JSON. A returned change
-- stays here, with the reviewer's note, until its author submits it again.
CREATE TABLE pending_changes (
    article_id   INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    base_version INTEGER NOT NULL,
    draft        TEXT    NOT NULL,
    note         TEXT    NOT NULL DEFAULT '',
    submitted_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    submitted_at INTEGER NOT NULL,
    returned_by  INTEGER REFERENCES users (id) ON DELETE SET NULL,
    returned_at  INTEGER,
    return_note  TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX pending_changes_waiting ON pending_changes (submitted_at) WHERE returned_at IS NULL;
