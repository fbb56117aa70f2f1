-- The Pythons an article is about (`>=3.10`, `>=3.10,<3.13`; empty: every version), as the
-- form and content/ files write it (domain::PythonRange). Revisions keep it so a restore
-- brings it back.
ALTER TABLE articles ADD COLUMN python TEXT NOT NULL DEFAULT '';
ALTER TABLE revisions ADD COLUMN python TEXT NOT NULL DEFAULT '';

-- The admin list's "failing examples" filter and status column read the runs that did not
-- print their output on a Python their page is about: few rows, found without a scan.
CREATE INDEX example_runs_failing ON example_runs (article_id)
    WHERE matches = 0 AND outside_range = 0;
