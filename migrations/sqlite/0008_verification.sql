-- Verified examples (src/verify/). An article whose examples must be run (again) is queued in
-- the transaction of the change, like the search outbox, so a crash loses no verification;
-- the worker removes the row once it has stored the results, unless the article was queued
-- again meanwhile (each queueing counts up `generation`).
CREATE TABLE verify_queue (
    article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    queued_at INTEGER NOT NULL,
    generation INTEGER NOT NULL DEFAULT 0
);

-- The latest run of each example of an article on each interpreter version. `fingerprint`
-- is a hash of the example's code, marks and output blocks: a run whose example has not
-- changed is kept instead of run again.
CREATE TABLE example_runs (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    example INTEGER NOT NULL,
    python TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    matches INTEGER NOT NULL,
    outside_range INTEGER NOT NULL,
    output TEXT NOT NULL,
    problem TEXT,
    ran_at INTEGER NOT NULL,
    PRIMARY KEY (article_id, example, python)
) WITHOUT ROWID;
