-- Every room event wrote this index (5 of the ~100 B-tree pages a webhook's commit rewrote). Only
-- pruning read it, every ten minutes, to find each cafe's (N+1)th newest event; it now counts
-- and reads the cafe's events in the primary key's order instead (docs/decisions/0030).
DROP INDEX ix_realtime_events_cafe;
