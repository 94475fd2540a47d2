package io.tabletap.server.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tabletap.server.json.Json;
import java.util.Iterator;
import java.util.Set;

/**
 * Misbehaviour the sandbox puts on, to see that TableTap copes with a real provider's bad days.
 * Set at start ({@link SandboxConfig}), at run time with {@link PayconicSandbox#setFaults} or
 * {@code POST /__admin/faults} with this record as JSON (absent fields take the values of {@link
 * #none()}).
 *
 * @param latencyMs every API call waits this long before it is handled
 * @param failNext the next this-many API calls answer 500 without doing anything
 * @param timeoutNext the next this-many API calls are carried out, but their answer is held for
 *     {@code timeoutHoldMs} (longer than the client's timeout), as when a network drops an answer
 * @param timeoutHoldMs how long a held answer waits (default 35 s, above Payconic clients' 30 s)
 * @param duplicateWebhooks every webhook is delivered twice, same event id and body
 * @param outOfOrder after a {@code payment.succeeded} the sandbox also delivers a {@code
 *     payment.failed} for the same payment, dated a second earlier
 * @param badSignature webhooks are signed with a secret the receiver does not have
 */
public record Faults(
    long latencyMs, int failNext, int timeoutNext, long timeoutHoldMs, boolean duplicateWebhooks, boolean outOfOrder,
    boolean badSignature) {

  public static final long DEFAULT_TIMEOUT_HOLD_MS = 35_000;
  private static final Set<String> FIELDS =
      Set.of("latencyMs", "failNext", "timeoutNext", "timeoutHoldMs", "duplicateWebhooks", "outOfOrder", "badSignature");

  public Faults {
    if (latencyMs < 0 || failNext < 0 || timeoutNext < 0 || timeoutHoldMs < 0) {
      throw new IllegalArgumentException("Fault counts and durations cannot be negative");
    }
  }

  /** A well-behaved provider. */
  public static Faults none() {
    return new Faults(0, 0, 0, DEFAULT_TIMEOUT_HOLD_MS, false, false, false);
  }

  public Faults withLatencyMs(long ms) {
    return new Faults(ms, failNext, timeoutNext, timeoutHoldMs, duplicateWebhooks, outOfOrder, badSignature);
  }

  public Faults withFailNext(int n) {
    return new Faults(latencyMs, n, timeoutNext, timeoutHoldMs, duplicateWebhooks, outOfOrder, badSignature);
  }

  public Faults withTimeoutNext(int n, long holdMs) {
    return new Faults(latencyMs, failNext, n, holdMs, duplicateWebhooks, outOfOrder, badSignature);
  }

  public Faults withDuplicateWebhooks(boolean on) {
    return new Faults(latencyMs, failNext, timeoutNext, timeoutHoldMs, on, outOfOrder, badSignature);
  }

  public Faults withOutOfOrder(boolean on) {
    return new Faults(latencyMs, failNext, timeoutNext, timeoutHoldMs, duplicateWebhooks, on, badSignature);
  }

  public Faults withBadSignature(boolean on) {
    return new Faults(latencyMs, failNext, timeoutNext, timeoutHoldMs, duplicateWebhooks, outOfOrder, on);
  }

  /**
   * Reads the admin endpoint's JSON object; absent fields are as in {@link #none()}.
   *
   * @throws IllegalArgumentException naming the field that is unknown or has a bad value
   */
  public static Faults fromJson(JsonNode json) {
    if (json == null || !json.isObject()) {
      throw new IllegalArgumentException("Send a JSON object, e.g. {\"failNext\":2}");
    }
    for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw new IllegalArgumentException("Unknown fault '" + name + "'; known: " + FIELDS);
      }
    }
    Faults d = none();
    return new Faults(
        number(json, "latencyMs", d.latencyMs()),
        (int) Math.min(Integer.MAX_VALUE, number(json, "failNext", d.failNext())),
        (int) Math.min(Integer.MAX_VALUE, number(json, "timeoutNext", d.timeoutNext())),
        number(json, "timeoutHoldMs", d.timeoutHoldMs()),
        flag(json, "duplicateWebhooks", d.duplicateWebhooks()),
        flag(json, "outOfOrder", d.outOfOrder()),
        flag(json, "badSignature", d.badSignature()));
  }

  public ObjectNode toJson() {
    ObjectNode json = Json.mapper().createObjectNode();
    json.put("latencyMs", latencyMs);
    json.put("failNext", failNext);
    json.put("timeoutNext", timeoutNext);
    json.put("timeoutHoldMs", timeoutHoldMs);
    json.put("duplicateWebhooks", duplicateWebhooks);
    json.put("outOfOrder", outOfOrder);
    json.put("badSignature", badSignature);
    return json;
  }

  private static long number(JsonNode json, String field, long fallback) {
    JsonNode node = json.get(field);
    if (node == null) {
      return fallback;
    }
    if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < 0) {
      throw new IllegalArgumentException(field + " must be a whole number, 0 or more");
    }
    return node.longValue();
  }

  private static boolean flag(JsonNode json, String field, boolean fallback) {
    JsonNode node = json.get(field);
    if (node == null) {
      return fallback;
    }
    if (!node.isBoolean()) {
      throw new IllegalArgumentException(field + " must be true or false");
    }
    return node.booleanValue();
  }
}
