-- The citizens' accountability page (/matters) lists and counts the
-- published matters, newest first, for anybody who asks: one range of
-- this index rather than a scan of every matter.
CREATE INDEX matters_published ON matters(published, id);
