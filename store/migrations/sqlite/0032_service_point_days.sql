-- A service point's opening and closing days (YYYY-MM-DD, China time; ''
-- for a point not closed): the ledger summary counts the points active at
-- the end of a period from them, so a point closed later still counts in
-- the periods it served and an imported point in those after its opening,
-- not its import. Points recorded so far opened on the day they were
-- recorded; a closed one closed on the day of its last change to closed
-- (its event in the log), or else of its last change.
ALTER TABLE service_points ADD COLUMN opened_on TEXT NOT NULL DEFAULT '';
ALTER TABLE service_points ADD COLUMN closed_on TEXT NOT NULL DEFAULT '';
UPDATE service_points SET opened_on = date(created_at / 1000000, 'unixepoch', '+8 hours');
UPDATE service_points SET closed_on = date(COALESCE(
    (SELECT MAX(e.at) FROM events e WHERE e.register = 'service_points' AND e.record_id = service_points.id AND e.to_state = 'closed'),
    updated_at) / 1000000, 'unixepoch', '+8 hours')
WHERE status = 'closed';
CREATE INDEX service_points_days ON service_points(opened_on, closed_on);
