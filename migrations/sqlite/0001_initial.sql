-- The whole product's schema, so later features extend it rather than rewrite it.
-- Timestamps are Unix seconds (UTC). Booleans are 0/1 integers.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    password_hash TEXT    NOT NULL,
    role          TEXT    NOT NULL CHECK (role IN ('admin', 'editor')),
    disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at    INTEGER NOT NULL
);

-- Server-side sessions. `id` is a hash of the cookie's secret, never the secret itself.
CREATE TABLE sessions (
    id           TEXT    PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token   TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE articles (
    id         INTEGER PRIMARY KEY,
    slug       TEXT    NOT NULL UNIQUE,
    title      TEXT    NOT NULL,
    summary    TEXT    NOT NULL DEFAULT '',
    body       TEXT    NOT NULL,
    -- The sanitized HTML of `body`, rendered when the article is saved: pages are read far
    -- more often than written.
    body_html  TEXT    NOT NULL,
    kind       TEXT    NOT NULL CHECK (kind IN ('question', 'article', 'collection')),
    difficulty TEXT    NOT NULL CHECK (difficulty IN ('beginner', 'intermediate', 'advanced')),
    status     TEXT    NOT NULL CHECK (status IN ('draft', 'published', 'trashed')),
    -- Optimistic locking: every save increments it, and a save must name the version it edited.
    version    INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    updated_by INTEGER REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX articles_status ON articles (status, updated_at);

CREATE TABLE tags (
    id   INTEGER PRIMARY KEY,
    name TEXT    NOT NULL UNIQUE
);

-- `position` keeps the editor's order: the first tag is the article's main topic.
CREATE TABLE article_tags (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    tag_id     INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    PRIMARY KEY (article_id, tag_id)
);
CREATE INDEX article_tags_tag ON article_tags (tag_id);

-- Ordered "related questions" links, by id so that a slug rename keeps them.
CREATE TABLE related_links (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    target_id  INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    PRIMARY KEY (article_id, target_id)
);
CREATE INDEX related_links_target ON related_links (target_id);

-- One row per saved version of an article: the full text, so any two can be compared and any
-- one restored. `author_id` is NULL for the seed import.
CREATE TABLE revisions (
    id         INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    version    INTEGER NOT NULL,
    slug       TEXT    NOT NULL,
    title      TEXT    NOT NULL,
    summary    TEXT    NOT NULL,
    body       TEXT    NOT NULL,
    kind       TEXT    NOT NULL,
    difficulty TEXT    NOT NULL,
    status     TEXT    NOT NULL,
    tags       TEXT    NOT NULL, -- comma-separated, in order
    related    TEXT    NOT NULL, -- comma-separated slugs, in order
    author_id  INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (article_id, version)
);

-- Old slugs of renamed articles answer with a permanent redirect to the article.
CREATE TABLE slug_redirects (
    old_slug   TEXT    PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL
);

-- Changes the search index has still to apply, written in the same transaction as the change,
-- so a crash between the database commit and the index commit loses nothing.
CREATE TABLE search_outbox (
    id         INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);

-- Which article each seed file became, the hash of the seed text imported and the article
-- version that import wrote. A later release updates the article only while its version is
-- still that one, i.e. no editor has saved it since.
CREATE TABLE seed_imports (
    seed_slug       TEXT    PRIMARY KEY,
    article_id      INTEGER REFERENCES articles (id) ON DELETE SET NULL,
    content_hash    TEXT    NOT NULL,
    article_version INTEGER NOT NULL,
    imported_at     INTEGER NOT NULL
);
