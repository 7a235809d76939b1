-- Number 0045 was set aside for the exports (issue 14), which needed no
-- migration; it changes nothing, so that the migrations stay numbered
-- without gaps (0047 follows). Work that needs this number replaces the
-- statement below before any database outside tests has run it.
SELECT 1;
