-- What an editor typed and has not saved, sent by the editor's page every few seconds: one row
-- per user and article (article_id 0: the new-article form), apart from the revisions. The
-- editor is offered it back the next time the form opens, in any session; a save or a discard
-- removes it, and rows untouched for 30 days are swept.
CREATE TABLE autosaves (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    article_id INTEGER NOT NULL,
    -- The form's fields as JSON (editing::ArticleForm, without the CSRF token).
    fields TEXT NOT NULL,
    saved_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, article_id)
) WITHOUT ROWID;
CREATE INDEX autosaves_saved_at ON autosaves (saved_at);
