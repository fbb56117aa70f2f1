-- Topic lists that cost what they show, not what the site holds. At 100,000 articles a topic
-- has tens of thousands of members, and counting or sorting them on every render of the
-- home page, /tags, a topic page or a search page took hundreds of milliseconds.
--
-- `listed`: the article is published (any kind): what a topic page lists. With the topic
-- order columns of 0005, the index below gives a topic page's rows in order, one seek and a
-- short scan, and its counts by difficulty from the index alone. `db::articles::sync_topic_order`
-- keeps it, with `neighbour`, `sort_level` and `sort_title`.
ALTER TABLE article_tags ADD COLUMN listed INTEGER NOT NULL DEFAULT 0;
UPDATE article_tags
SET listed = (SELECT a.status = 'published' FROM articles a WHERE a.id = article_tags.article_id);
CREATE INDEX article_tags_listing
    ON article_tags (tag_id, listed, sort_level, sort_title, article_id);

-- Each tag's counts, kept by the triggers below whoever writes its rows: `entries`, the
-- published entries with the tag at any position (its page's count); `main_questions`, the
-- published questions whose main topic (position 0) it is (the home page's topics).
ALTER TABLE tags ADD COLUMN entries INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tags ADD COLUMN main_questions INTEGER NOT NULL DEFAULT 0;
UPDATE tags
SET entries = (SELECT count(*) FROM article_tags m WHERE m.tag_id = tags.id AND m.listed = 1),
    main_questions = (SELECT count(*) FROM article_tags m
                      WHERE m.tag_id = tags.id AND m.neighbour = 1 AND m.position = 0);

CREATE TRIGGER article_tags_counted_in AFTER INSERT ON article_tags BEGIN
    UPDATE tags SET entries = entries + NEW.listed,
                    main_questions = main_questions + (NEW.neighbour AND NEW.position = 0)
    WHERE id = NEW.tag_id;
END;

CREATE TRIGGER article_tags_counted_out AFTER DELETE ON article_tags BEGIN
    UPDATE tags SET entries = entries - OLD.listed,
                    main_questions = main_questions - (OLD.neighbour AND OLD.position = 0)
    WHERE id = OLD.tag_id;
END;

CREATE TRIGGER article_tags_recounted AFTER UPDATE OF tag_id, position, listed, neighbour
    ON article_tags BEGIN
    UPDATE tags SET entries = entries - OLD.listed,
                    main_questions = main_questions - (OLD.neighbour AND OLD.position = 0)
    WHERE id = OLD.tag_id;
    UPDATE tags SET entries = entries + NEW.listed,
                    main_questions = main_questions + (NEW.neighbour AND NEW.position = 0)
    WHERE id = NEW.tag_id;
END;

-- "Start here" on the home page: the published entries that are not questions, a few among
-- many questions.
CREATE INDEX articles_start_here
    ON articles (kind, title COLLATE NOCASE, id) WHERE status = 'published' AND kind != 'question';

-- "Other" on the home page: published entries without a tag, a few among many (their page
-- context lists no tags).
CREATE INDEX page_context_untagged ON page_context (article_id) WHERE tags = '';
