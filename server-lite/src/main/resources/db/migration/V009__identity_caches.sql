-- H2 writes an identity column's next value to its catalogue, in a commit of its own, each time
-- the cached block of values runs out (32 by default): one extra commit every four webhooks for
-- the event log (eight events each) showed in the workers' samples (docs/decisions/0018). A
-- block of 4096 makes that rare. A restart skips what was left of the block: these columns only
-- order rows, gaps mean nothing.
ALTER TABLE realtime_events ALTER COLUMN id SET CACHE 4096;
ALTER TABLE jobs ALTER COLUMN seq SET CACHE 4096;
