package io.tabletap.server.queue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Jobs, possibly in several queues, that share a flow id and run in prerequisite order: a step
 * may name an earlier step that must complete first, and its {@code delay} then counts from that
 * completion (BullMQ's flows, turned the right way up: the prerequisite runs first). Written
 * atomically by {@link Flows}. Immutable; build with {@link #builder(String)}.
 *
 * @param flowId unique; adding a flow whose id exists adds nothing (the flow's idempotency key)
 * @param steps in the order they were declared, prerequisites before their dependants
 */
public record Flow(String flowId, List<Step> steps) {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}");

  /**
   * @param key the step's name within the flow ({@code payment})
   * @param after the key of the step that must complete first, or null
   */
  public record Step(String key, JobSpec spec, String after) {}

  public Flow {
    steps = List.copyOf(steps);
  }

  /** A flow with a fresh random id. */
  public static Builder builder() {
    return builder(UUID.randomUUID().toString());
  }

  public static Builder builder(String flowId) {
    return new Builder(flowId);
  }

  /** Not thread-safe. */
  public static final class Builder {
    private final String flowId;
    private final Map<String, Step> steps = new LinkedHashMap<>();

    private Builder(String flowId) {
      if (flowId == null || !ID.matcher(flowId).matches()) {
        throw new IllegalArgumentException("A flow id is 1 to 64 letters, digits, '_', '.', ':' or '-': " + flowId);
      }
      this.flowId = flowId;
    }

    public String flowId() {
      return flowId;
    }

    /** A step that may run at once (or after its own {@code delay}). */
    public Builder step(String key, JobSpec spec) {
      return step(key, spec, null);
    }

    /**
     * A step that runs only after step {@code after} (declared before) completed, {@code
     * spec.delay()} later; it fails ("prerequisite failed") if that step fails for good.
     */
    public Builder step(String key, JobSpec spec, String after) {
      Objects.requireNonNull(spec, "spec");
      if (key == null || !ID.matcher(key).matches()) {
        throw new IllegalArgumentException("A step key is 1 to 64 letters, digits, '_', '.', ':' or '-': " + key);
      }
      if (steps.containsKey(key)) {
        throw new IllegalArgumentException("Two steps named " + key);
      }
      if (after != null && !steps.containsKey(after)) {
        throw new IllegalArgumentException("Step " + key + " comes after '" + after + "', which is not declared before it");
      }
      if (spec.jobId().isPresent() || spec.prerequisite().isPresent()) {
        throw new IllegalArgumentException("A flow's steps take no jobId or prerequisite of their own; the flow id"
            + " deduplicates and steps name each other");
      }
      steps.put(key, new Step(key, spec, after));
      return this;
    }

    public Flow build() {
      if (steps.isEmpty()) {
        throw new IllegalArgumentException("A flow has at least one step");
      }
      return new Flow(flowId, new ArrayList<>(steps.values()));
    }
  }
}
