-- The campaigns' list is latest start first and pages by (from_day, id):
-- with an index of that order a page after its cursor is one range of it,
-- as every other ledger's list is, rather than every campaign sorted.
CREATE INDEX IF NOT EXISTS campaigns_start ON campaigns(from_day, id);
