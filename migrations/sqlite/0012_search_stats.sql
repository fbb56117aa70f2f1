-- What readers look for, for editors (/admin/search): per day (days since 1970, UTC) and
-- normalized query, how often it was searched, how often it found nothing and how often a
-- result was opened; and per day how often each result position was opened. Nothing about a
-- reader is kept. At most a set number of distinct queries per day (search_log.rs), and rows
-- older than PYKB_SEARCH_STATS_DAYS are pruned daily.
CREATE TABLE search_queries (
    day INTEGER NOT NULL,
    query TEXT NOT NULL,
    searches INTEGER NOT NULL DEFAULT 0,
    zero_results INTEGER NOT NULL DEFAULT 0,
    clicks INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (day, query)
) WITHOUT ROWID;

CREATE TABLE search_clicks (
    day INTEGER NOT NULL,
    -- 1 for the first result; positions past the last bucket count in it.
    position INTEGER NOT NULL,
    clicks INTEGER NOT NULL,
    PRIMARY KEY (day, position)
) WITHOUT ROWID;
