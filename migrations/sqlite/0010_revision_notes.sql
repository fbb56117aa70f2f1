-- An editor's note on a save ("fixed the 3.13 output"), shown in the history: what changed
-- and why, in the author's words. Empty for saves without one and for the batch writers.
ALTER TABLE revisions ADD COLUMN note TEXT NOT NULL DEFAULT '';
