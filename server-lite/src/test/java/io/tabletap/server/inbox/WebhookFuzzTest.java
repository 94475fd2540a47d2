package io.tabletap.server.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tabletap.server.ServerLite;
import io.tabletap.server.config.Secret;
import io.tabletap.server.json.Json;
import io.tabletap.server.testing.RunningServer;
import io.tabletap.server.webhook.WebhookSignature;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 1,000 fuzzed deliveries to {@code /webhooks/payconic} and {@code /webhooks/bank}: random bytes,
 * truncated and deeply nested JSON, huge numbers, wrong types, odd unicode, missing fields, valid
 * signatures over garbage, garbage signature headers, wrong content types, empty bodies. Every one
 * is answered without a 5xx, with a JSON error body or a 2xx. The seed is printed; run again with
 * {@code -Dfuzz.seed=<seed>} to replay a failure.
 */
class WebhookFuzzTest {
  private static final int CASES = 1_000;

  @TempDir static Path dir;
  static RunningServer server;
  static Secret payconicSecret;
  static Secret bankSecret;
  static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() throws IOException {
    server = RunningServer.start(dir);
    payconicSecret = server.server().sandbox().orElseThrow().config().webhookSecret();
    bankSecret = new Secret(Files.readString(dir.resolve(ServerLite.BANK_WEBHOOK_SECRET_FILE)).strip());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** One delivery: where, its body, its signature header value (or null), its content type (or null). */
  record Delivery(String kind, String provider, byte[] body, String signature, String contentType) {}

  @Test
  void noFuzzedDeliveryGetsA5xxOrANonJsonAnswer() throws Exception {
    long seed = Long.getLong("fuzz.seed", System.nanoTime());
    System.out.println("WebhookFuzzTest seed: " + seed + " (replay with -Dfuzz.seed=" + seed + ")");
    Random random = new Random(seed);
    List<String> failures = new ArrayList<>();
    int[] byClass = new int[6];
    for (int n = 0; n < CASES; n++) {
      Delivery d = delivery(random, n);
      HttpResponse<String> response = send(d);
      int status = response.statusCode();
      byClass[status / 100]++;
      String problem = problem(status, response.body());
      if (problem != null) {
        failures.add("#" + n + " " + d.kind() + " → " + status + " " + problem + ": " + abbreviate(response.body()) + " (body "
            + abbreviate(new String(d.body(), StandardCharsets.UTF_8)) + ", signature " + abbreviate(String.valueOf(d.signature()))
            + ", content type " + d.contentType() + ")");
      }
    }
    System.out.printf("WebhookFuzzTest: %d cases, 2xx %d, 4xx %d, 5xx %d%n", CASES, byClass[2], byClass[4], byClass[5]);
    assertThat(failures).as("seed %d", seed).isEmpty();
    assertThat(server.get("/health", null).status()).isEqualTo(200);
  }

  private static String problem(int status, String body) {
    if (status >= 500) {
      return "a 5xx";
    }
    JsonNode json;
    try {
      json = Json.mapper().readTree(body);
    } catch (IOException e) {
      return "not JSON";
    }
    if (json == null || !json.isObject()) {
      return "not a JSON object";
    }
    if (status / 100 == 2) {
      return json.hasNonNull("webhookId") && json.hasNonNull("status") ? null : "a 2xx without webhookId and status";
    }
    return json.hasNonNull("error") && json.hasNonNull("message") ? null : "an error without error and message";
  }

  private static HttpResponse<String> send(Delivery d) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/webhooks/" + d.provider()))
        .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofByteArray(d.body()));
    if (d.contentType() != null) {
      b.header("Content-Type", d.contentType());
    }
    if (d.signature() != null) {
      b.header(d.provider().equals("bank") ? "Bank-Signature" : "Payconic-Signature", d.signature());
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  // ---- generators ----

  private static final List<Function<Random, String>> BODIES = List.of(
      WebhookFuzzTest::randomBytesAsText,
      r -> truncated(r, validPayconic(r)),
      r -> truncated(r, validBank(r)),
      r -> validPayconic(r).replace("\"amount\":450", "\"amount\":" + hugeNumber(r)),
      r -> validBank(r).replace("\"amount\":\"4.50\"", "\"amount\":" + hugeNumber(r)),
      r -> wrongType(r, validPayconic(r)),
      r -> wrongType(r, validBank(r)),
      r -> validPayconic(r).replace("evt_fuzz_", "evt_" + unicode(r)),
      r -> validBank(r).replace("A Customer", unicode(r)),
      WebhookFuzzTest::nested,
      r -> missingField(r, validPayconic(r)),
      r -> missingField(r, validBank(r)),
      r -> validPayconic(r).replace("evt_fuzz_", "evt_" + "x".repeat(200 + r.nextInt(3000))),
      r -> validBank(r).replace("bank_fuzz_", "bank_" + "x".repeat(200 + r.nextInt(3000))),
      r -> validPayconic(r).replace("payment.succeeded", "payment." + "z".repeat(1 + r.nextInt(5000))),
      r -> validPayconic(r).replace("pay_fuzz", "pay_" + "y".repeat(r.nextInt(9000))),
      r -> "",
      r -> "null",
      r -> "[]",
      r -> "\"just a string\"",
      r -> validPayconic(r),
      r -> validBank(r),
      r -> "{\"eventId\":\"" + "e".repeat(70_000) + "\"}");

  private static Delivery delivery(Random r, int n) {
    String provider = r.nextBoolean() ? "payconic" : "bank";
    int kind = r.nextInt(BODIES.size());
    byte[] body = kind == 0 ? randomBytes(r) : BODIES.get(kind).apply(r).getBytes(StandardCharsets.UTF_8);
    Secret secret = provider.equals("bank") ? bankSecret : payconicSecret;
    long now = server.clock.instant().getEpochSecond();
    String signature = switch (r.nextInt(6)) {
      case 0, 1, 2 -> WebhookSignature.sign(secret, now, body); // a valid signature over whatever the body is
      case 3 -> garbageHeader(r, now);
      case 4 -> WebhookSignature.sign(new Secret("whsec_fuzz"), now, body);
      default -> null;
    };
    String contentType = switch (r.nextInt(10)) {
      case 0 -> null;
      case 1 -> "text/plain";
      case 2 -> "application/x-www-form-urlencoded";
      case 3 -> "application/json; charset=" + (r.nextBoolean() ? "latin1" : "\u00e9");
      case 4 -> "multipart/form-data; boundary=x";
      default -> "application/json";
    };
    if (contentType != null && contentType.chars().anyMatch(c -> c > 126)) {
      contentType = "application/json; charset=bogus";
    }
    return new Delivery("case " + kind + "/sig " + (signature == null ? "none" : "set"), provider, body, signature, contentType);
  }

  private static String validPayconic(Random r) {
    return "{\"eventId\":\"evt_fuzz_" + r.nextInt(1_000_000) + "\",\"eventType\":\"payment.succeeded\",\"paymentId\":\"pay_fuzz_"
        + r.nextInt(1000) + "\",\"orderId\":null,\"amount\":450,\"currency\":\"AUD\",\"occurredAt\":\"2026-11-25T23:00:00Z\"}";
  }

  private static String validBank(Random r) {
    return "{\"eventId\":\"bank_fuzz_" + r.nextInt(1_000_000) + "\",\"reference\":\"TT" + r.nextInt(100_000)
        + "\",\"amount\":\"4.50\",\"currency\":\"AUD\",\"payerName\":\"A Customer\",\"receivedAt\":\"2026-11-25T23:01:00Z\"}";
  }

  private static byte[] randomBytes(Random r) {
    byte[] bytes = new byte[r.nextInt(3000)];
    r.nextBytes(bytes);
    return bytes;
  }

  private static String randomBytesAsText(Random r) {
    return new String(randomBytes(r), StandardCharsets.ISO_8859_1);
  }

  private static String truncated(Random r, String json) {
    return json.substring(0, r.nextInt(json.length()));
  }

  private static String hugeNumber(Random r) {
    return switch (r.nextInt(8)) {
      case 0 -> "9".repeat(20 + r.nextInt(400));
      case 1 -> "-" + "9".repeat(20 + r.nextInt(40));
      case 2 -> "1e" + r.nextInt(100_000);
      case 3 -> "-1e-" + r.nextInt(100_000);
      case 4 -> String.valueOf(Long.MAX_VALUE);
      case 5 -> String.valueOf(Long.MIN_VALUE);
      case 6 -> "0." + "0".repeat(r.nextInt(1000)) + "1";
      default -> "4.5";
    };
  }

  private static final String[] WRONG = {"123", "-1", "true", "false", "null", "[]", "{}", "[\"a\"]", "{\"a\":1}", "1.5", "\"\"",
      "\"   \""};

  private static String wrongType(Random r, String json) {
    String[] fields = {"eventId", "eventType", "paymentId", "orderId", "amount", "currency", "occurredAt", "reference",
        "payerName", "receivedAt"};
    String field = fields[r.nextInt(fields.length)];
    return json.replaceAll("\"" + field + "\":(\"[^\"]*\"|[^,}]*)", "\"" + field + "\":" + java.util.regex.Matcher
        .quoteReplacement(WRONG[r.nextInt(WRONG.length)]));
  }

  private static String missingField(Random r, String json) {
    String[] fields = {"eventId", "eventType", "paymentId", "orderId", "amount", "currency", "occurredAt", "reference",
        "payerName", "receivedAt"};
    String field = fields[r.nextInt(fields.length)];
    return json.replaceAll(",?\"" + field + "\":(\"[^\"]*\"|[^,}]*)", "").replace("{,", "{");
  }

  private static final String[] ODD = {"\\u0000", "\\ud800", "\\udfff", "\u202e", "\ud83d\ude00", "\u0301", "\\n", "\\\"", "\u00ff",
      "\ufeff", "\uffff", "\\u001f", "%00", "' OR 1=1 --", "${jndi:ldap://x}", "\u4e2d\u6587"};

  private static String unicode(Random r) {
    StringBuilder s = new StringBuilder();
    for (int i = 0, n = 1 + r.nextInt(8); i < n; i++) {
      s.append(ODD[r.nextInt(ODD.length)]);
    }
    return s.toString();
  }

  private static String nested(Random r) {
    int depth = 100 + r.nextInt(20_000);
    String open = r.nextBoolean() ? "[" : "{\"a\":";
    String close = open.equals("[") ? "]" : "}";
    return "{\"eventId\":" + open.repeat(depth) + "1" + close.repeat(depth) + "}";
  }

  private static String garbageHeader(Random r, long now) {
    return switch (r.nextInt(10)) {
      case 0 -> "";
      case 1 -> "t=" + now;
      case 2 -> "v1=" + "a".repeat(64);
      case 3 -> "t=" + now + ",v1=" + "a".repeat(63);
      case 4 -> "t=" + "9".repeat(1 + r.nextInt(30)) + ",v1=" + "a".repeat(64);
      case 5 -> "t=-1,v1=" + "a".repeat(64);
      case 6 -> "t=" + now + (",v1=" + "b".repeat(64)).repeat(1 + r.nextInt(40));
      case 7 -> "x".repeat(r.nextInt(5000));
      case 8 -> "t=" + now + ",t=" + now + ",v1=" + "c".repeat(64);
      default -> printable(r, r.nextInt(200));
    };
  }

  private static String printable(Random r, int length) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < length; i++) {
      s.append((char) (32 + r.nextInt(95)));
    }
    return s.toString().strip();
  }

  private static String abbreviate(String s) {
    return s.length() <= 160 ? s : s.substring(0, 160) + "…(" + s.length() + " chars)";
  }
}
