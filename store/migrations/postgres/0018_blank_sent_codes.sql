-- Notices sent or failed for good no longer keep the access code: from now
-- on the row that records the outcome blanks it (store.blankNoticeCode);
-- this does the same for the notices finished before.
UPDATE notices SET body = display WHERE status <> 'pending' AND body <> display;
