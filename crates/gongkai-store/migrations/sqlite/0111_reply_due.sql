-- The due date a concluded case's reply was judged against (the date in force when it was
-- concluded: 20 working days, extended, or the reasonable period), kept with the row's
-- projection so that late replies are counted in SQL (the supervisor's league of late replies,
-- docs/supervision.md). NULL while the case is open and when the date is not known (a calendar
-- not loaded); `gongkai application check-projections --fix` writes it for cases concluded before
-- this migration.
ALTER TABLE application ADD COLUMN due_on TEXT;
