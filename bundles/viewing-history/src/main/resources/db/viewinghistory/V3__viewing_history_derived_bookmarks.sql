-- Bookmarks derived from the entries instead of a second table written per session: per user and title, the
-- last position of the entry with the latest ended_at (equal ends: the larger session_id), hidden entries
-- included, as the table kept them. The tables held exactly that (every bookmark row named the session it came
-- from), so no data is lost; the views keep the tables' names and columns for the shadow validator and for
-- operators. The processor reads a user's bookmarks with the same window over vh_entries_user (HistoryTable).
DROP TABLE vh_bookmarks;
CREATE VIEW vh_bookmarks AS
SELECT user_id, title_id, position_ms, updated_at, session_id FROM (
    SELECT user_id, title_id, last_position_ms AS position_ms, ended_at AS updated_at, session_id,
           ROW_NUMBER() OVER (PARTITION BY user_id, title_id ORDER BY ended_at DESC, session_id DESC) AS latest
    FROM vh_entries) ranked
WHERE latest = 1;

DROP TABLE vh_shadow_bookmarks;
CREATE VIEW vh_shadow_bookmarks AS
SELECT user_id, title_id, position_ms, updated_at, session_id FROM (
    SELECT user_id, title_id, last_position_ms AS position_ms, ended_at AS updated_at, session_id,
           ROW_NUMBER() OVER (PARTITION BY user_id, title_id ORDER BY ended_at DESC, session_id DESC) AS latest
    FROM vh_shadow_entries) ranked
WHERE latest = 1;
