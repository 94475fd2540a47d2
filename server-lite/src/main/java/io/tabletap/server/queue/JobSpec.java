package io.tabletap.server.queue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.tabletap.server.json.Json;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A job to add: its queue, its name (the handler that runs it), its JSON data with a payload
 * version, and options. An option left unset takes the queue's default ({@link JobDefaults}) when
 * the job is written. Immutable; build with {@link #builder(String, String)}.
 *
 * <p>The data is stored as JSON text, never as serialized Java objects: a handler reads it with
 * {@link Job#data()} and checks {@link Job#payloadVersion()} before trusting its shape. A text field
 * {@code cafeId} at the top of the data is also kept in its own column (for events and the admin
 * view).
 */
public final class JobSpec {
  public static final int MAX_ATTEMPTS = 100;
  /** BullMQ's range: 0 (the default, the highest) to 2,097,152. */
  public static final int MAX_PRIORITY = 2_097_152;
  public static final Duration MAX_DELAY = Duration.ofDays(366);
  public static final int MAX_DATA_CHARS = 256 * 1024;
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}");

  private final String queue;
  private final String name;
  private final JsonNode data;
  private final int payloadVersion;
  private final Integer priority;
  private final Duration delay;
  private final Integer attempts;
  private final Backoff backoff;
  private final String jobId;
  private final boolean rememberKey;
  private final Retention removeOnComplete;
  private final Retention removeOnFail;
  private final UUID prerequisite;

  private JobSpec(Builder b) {
    this.queue = b.queue;
    this.name = b.name;
    this.data = b.data;
    this.payloadVersion = b.payloadVersion;
    this.priority = b.priority;
    this.delay = b.delay;
    this.attempts = b.attempts;
    this.backoff = b.backoff;
    this.jobId = b.jobId;
    this.rememberKey = b.rememberKey;
    this.removeOnComplete = b.removeOnComplete;
    this.removeOnFail = b.removeOnFail;
    this.prerequisite = b.prerequisite;
  }

  /** A job named {@code name} (e.g. {@code process_webhook}) on queue {@code queue}. */
  public static Builder builder(String queue, String name) {
    return new Builder(queue, name);
  }

  /** A builder that starts as a copy of this spec. */
  public Builder toBuilder() {
    Builder b = new Builder(queue, name).data(data).payloadVersion(payloadVersion);
    b.priority = priority;
    b.delay = delay;
    b.attempts = attempts;
    b.backoff = backoff;
    b.jobId = jobId;
    b.rememberKey = rememberKey;
    b.removeOnComplete = removeOnComplete;
    b.removeOnFail = removeOnFail;
    b.prerequisite = prerequisite;
    return b;
  }

  public String queue() {
    return queue;
  }

  public String name() {
    return name;
  }

  public JsonNode data() {
    return data;
  }

  public int payloadVersion() {
    return payloadVersion;
  }

  public Optional<Integer> priority() {
    return Optional.ofNullable(priority);
  }

  /** How long after it is added (or after its prerequisite completed) the job becomes ready. */
  public Duration delay() {
    return delay;
  }

  public Optional<Integer> attempts() {
    return Optional.ofNullable(attempts);
  }

  public Optional<Backoff> backoff() {
    return Optional.ofNullable(backoff);
  }

  /** The caller's deduplication key, BullMQ's {@code jobId}. */
  public Optional<String> jobId() {
    return Optional.ofNullable(jobId);
  }

  /** Whether {@link #jobId()} deduplicates for good, also after retention removed the job. */
  public boolean remembersKey() {
    return rememberKey;
  }

  public Optional<Retention> removeOnComplete() {
    return Optional.ofNullable(removeOnComplete);
  }

  public Optional<Retention> removeOnFail() {
    return Optional.ofNullable(removeOnFail);
  }

  /** The job that must complete before this one may run. */
  public Optional<UUID> prerequisite() {
    return Optional.ofNullable(prerequisite);
  }

  /** The {@code cafeId} text field of the data, if there is one. */
  public Optional<String> cafeId() {
    JsonNode cafe = data.get("cafeId");
    return cafe != null && cafe.isTextual() ? Optional.of(cafe.asText()) : Optional.empty();
  }

  @Override
  public String toString() {
    return "JobSpec[" + queue + "/" + name + (jobId == null ? "" : " jobId=" + jobId) + "]";
  }

  /** Collects a spec's fields; {@link #build()} checks them. Not thread-safe. */
  public static final class Builder {
    private final String queue;
    private final String name;
    private JsonNode data = Json.mapper().createObjectNode();
    private int payloadVersion = 1;
    private Integer priority;
    private Duration delay = Duration.ZERO;
    private Integer attempts;
    private Backoff backoff;
    private String jobId;
    private boolean rememberKey;
    private Retention removeOnComplete;
    private Retention removeOnFail;
    private UUID prerequisite;

    private Builder(String queue, String name) {
      this.queue = queue;
      this.name = name;
    }

    /** The data as a JSON object. */
    public Builder data(JsonNode data) {
      this.data = Objects.requireNonNull(data, "data");
      return this;
    }

    /** The data as JSON text; refused if it is not a JSON object. */
    public Builder dataJson(String json) {
      try {
        return data(Json.mapper().readTree(json));
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException("The job data is not JSON: " + e.getOriginalMessage(), e);
      }
    }

    /** The data as the JSON form of {@code value} (a record or a map), written with the shared mapper. */
    public Builder dataOf(Object value) {
      return data(Json.mapper().valueToTree(value));
    }

    /** The version of the data's shape, 1 or more; bump it when the shape changes. */
    public Builder payloadVersion(int version) {
      this.payloadVersion = version;
      return this;
    }

    /** Lower runs sooner: 0 (the default) first, then 1, 2, … */
    public Builder priority(int priority) {
      this.priority = priority;
      return this;
    }

    public Builder delay(Duration delay) {
      this.delay = Objects.requireNonNull(delay, "delay");
      return this;
    }

    public Builder attempts(int attempts) {
      this.attempts = attempts;
      return this;
    }

    public Builder backoff(Backoff backoff) {
      this.backoff = Objects.requireNonNull(backoff, "backoff");
      return this;
    }

    /** Deduplication: adding a job whose key its queue already holds returns that job instead. */
    public Builder jobId(String jobId) {
      this.jobId = jobId;
      return this;
    }

    /**
     * Deduplication that outlives the job: the key is kept (in {@code job_keys}) after retention
     * removes the job, so the same key is never added twice. For keys that arrive again days
     * later, such as a provider's webhook event id.
     */
    public Builder rememberKey() {
      this.rememberKey = true;
      return this;
    }

    public Builder removeOnComplete(Retention retention) {
      this.removeOnComplete = Objects.requireNonNull(retention, "retention");
      return this;
    }

    public Builder removeOnFail(Retention retention) {
      this.removeOnFail = Objects.requireNonNull(retention, "retention");
      return this;
    }

    /**
     * Runs only after job {@code jobId} completed; then {@link #delay} counts from that completion.
     * If the prerequisite fails for good this job fails with reason "prerequisite failed".
     */
    public Builder after(UUID jobId) {
      this.prerequisite = jobId;
      return this;
    }

    public JobSpec build() {
      checkName("queue", queue);
      checkName("name", name);
      if (!data.isObject()) {
        throw new IllegalArgumentException("The job data must be a JSON object");
      }
      if (payloadVersion < 1) {
        throw new IllegalArgumentException("payloadVersion starts at 1, not " + payloadVersion);
      }
      if (priority != null && (priority < 0 || priority > MAX_PRIORITY)) {
        throw new IllegalArgumentException("priority is 0 to " + MAX_PRIORITY + ", not " + priority);
      }
      if (delay.isNegative() || delay.compareTo(MAX_DELAY) > 0) {
        throw new IllegalArgumentException("delay is 0 to " + MAX_DELAY.toDays() + " days, not " + delay);
      }
      if (attempts != null && (attempts < 1 || attempts > MAX_ATTEMPTS)) {
        throw new IllegalArgumentException("attempts is 1 to " + MAX_ATTEMPTS + ", not " + attempts);
      }
      if (jobId != null && (jobId.isBlank() || jobId.length() > 255)) {
        throw new IllegalArgumentException("jobId is 1 to 255 characters");
      }
      JsonNode cafe = data.get("cafeId");
      if (cafe != null && cafe.isTextual() && cafe.asText().length() > 64) {
        throw new IllegalArgumentException("cafeId is at most 64 characters");
      }
      return new JobSpec(this);
    }

    private static void checkName(String what, String value) {
      if (value == null || !NAME.matcher(value).matches()) {
        throw new IllegalArgumentException("A job's " + what + " is 1 to 64 letters, digits, '_', '.', ':' or '-': " + value);
      }
    }
  }
}
