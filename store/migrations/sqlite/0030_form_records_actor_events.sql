-- A page form of any register files once (archive.FileOnce): what it filed
-- is named by its register and the record's id, beside the item's number
-- and the meeting's id that the forms of items and meetings keep.
ALTER TABLE form_results ADD COLUMN register TEXT NOT NULL DEFAULT '';
ALTER TABLE form_results ADD COLUMN record_id INTEGER NOT NULL DEFAULT 0;

-- A member's record counts the items they answered in a year
-- (CountActorRecords): one range of this index, the record's id read from
-- it, rather than every event of the year through events_at.
CREATE INDEX events_actor ON events(actor, register, type, at, record_id);
