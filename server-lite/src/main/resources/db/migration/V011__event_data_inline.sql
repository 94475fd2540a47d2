-- Room events and command results keep their JSON in the row, not as LOBs (docs/decisions/0019).
-- H2 keeps a CHARACTER LARGE OBJECT over 256 characters outside the row, in three LOB maps of
-- its own, and deletes those in a background cleaner: most room events are longer than that (a
-- paid order's new_paid_order with its items, a kitchen delta), so each one wrote three more
-- B-trees at its commit. A VARCHAR is stored in the row. 1 MiB is far above any event we send.
ALTER TABLE realtime_events ALTER COLUMN data SET DATA TYPE CHARACTER VARYING(1048576);
ALTER TABLE realtime_command_results ALTER COLUMN result SET DATA TYPE CHARACTER VARYING(1048576);
