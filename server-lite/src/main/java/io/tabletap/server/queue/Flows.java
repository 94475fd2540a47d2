package io.tabletap.server.queue;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Adds {@link Flow}s and reads them back. A flow's jobs are written in one transaction: a step
 * with a prerequisite starts BLOCKED; when the prerequisite completes it becomes WAITING (or
 * DELAYED for its delay); when the prerequisite fails for good it fails too ("prerequisite
 * failed"), and so do the steps after it. Events: {@code flow.step_completed} per completed job,
 * then {@code flow.completed} once, or {@code flow.failed} once. Thread-safe.
 */
public final class Flows {
  private final Queues owner;

  Flows(Queues owner) {
    this.owner = owner;
  }

  /**
   * What {@link #insert} wrote, or found.
   *
   * @param created false if a flow with this id existed: nothing was written, {@code jobIds} are
   *     the existing flow's
   * @param jobIds each step's job id, by step key
   */
  public record FlowAdded(String flowId, boolean created, Map<String, UUID> jobIds, List<JobWriter.Added> jobs) {}

  /** A flow and its jobs, oldest first. {@code status}: RUNNING, COMPLETED or FAILED. */
  public record FlowState(String flowId, String status, int jobCount, int remaining, List<Job> jobs) {}

  /** Adds {@code flow} in a transaction of its own, then announces its jobs and wakes their queues. */
  public FlowAdded add(Flow flow) {
    FlowAdded added = owner.db().inTransaction(c -> insert(c, flow));
    owner.afterCommit(added.jobs());
    return added;
  }

  /**
   * Writes {@code flow} in the caller's transaction; follow the commit with
   * {@code queues.afterCommit(added.jobs())}.
   */
  public FlowAdded insert(Connection c, Flow flow) throws SQLException {
    if (FlowTable.exists(c, flow.flowId())) {
      return existing(c, flow.flowId());
    }
    String cafeId = flow.steps().stream().map(s -> s.spec().cafeId()).flatMap(Optional::stream).findFirst().orElse(null);
    try {
      FlowTable.insert(c, flow.flowId(), cafeId, flow.steps().size(), owner.clock().instant());
    } catch (SQLException e) {
      // a racing add of the same flow committed first (H2 undoes only the failed statement)
      if ("23505".equals(e.getSQLState()) && FlowTable.exists(c, flow.flowId())) {
        return existing(c, flow.flowId());
      }
      throw e;
    }
    Map<String, UUID> ids = new LinkedHashMap<>();
    List<JobWriter.Added> jobs = new ArrayList<>();
    for (Flow.Step step : flow.steps()) {
      JobSpec spec = step.after() == null ? step.spec() : step.spec().toBuilder().after(ids.get(step.after())).build();
      JobWriter.Added added = owner.writer().insert(c, spec, flow.flowId(), step.key());
      ids.put(step.key(), added.id());
      jobs.add(added);
    }
    return new FlowAdded(flow.flowId(), true, ids, jobs);
  }

  private static FlowAdded existing(Connection c, String flowId) throws SQLException {
    Map<String, UUID> ids = new LinkedHashMap<>();
    for (Job job : JobTable.inFlow(c, flowId)) {
      ids.put(job.flowStep(), job.id());
    }
    return new FlowAdded(flowId, false, ids, List.of());
  }

  public Optional<FlowState> find(String flowId) {
    return owner.db().read(c -> {
      Optional<FlowTable.FlowRow> row = FlowTable.find(c, flowId);
      if (row.isEmpty()) {
        return Optional.empty();
      }
      FlowTable.FlowRow r = row.get();
      return Optional.of(new FlowState(r.id(), r.status().name(), r.jobCount(), r.remaining(), JobTable.inFlow(c, flowId)));
    });
  }
}
