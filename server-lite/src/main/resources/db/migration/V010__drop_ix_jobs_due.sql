-- Every job insert and every change of status writes each index that holds the status. The due
-- and stalled checks read the few DELAYED / ACTIVE jobs of a queue through the claim index's
-- (queue, status) prefix just as well, so this one only cost writes (docs/decisions/0018).
DROP INDEX ix_jobs_due;
