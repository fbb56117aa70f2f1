-- Server-wide values that must survive restarts, such as the key that signs the CSRF cookie
-- of visitors who are not signed in.
CREATE TABLE settings (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
