-- Retakes and lesson drafts.
--
-- A retake starts once: restarted_at marks it (set by one conditional
-- UPDATE), so "take the course again" clicked twice (two tabs, a reload)
-- neither wipes the retake's progress nor takes a second seat. The
-- completion that ends the retake clears it.
ALTER TABLE enrollments ADD COLUMN restarted_at INTEGER;

-- What learners read changes only when the editor publishes: a lesson added
-- to a published course waits, not live, outside the learners' numbering
-- (positions from 1,000,000) until it is published; a live lesson's new
-- title and length wait in draft_title and draft_minutes beside draft_md.
ALTER TABLE lessons ADD COLUMN live BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE lessons ADD COLUMN draft_title TEXT;
ALTER TABLE lessons ADD COLUMN draft_minutes INTEGER;
