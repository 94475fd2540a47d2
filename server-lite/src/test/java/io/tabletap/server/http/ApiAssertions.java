package io.tabletap.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tabletap.server.testing.RunningServer.Reply;
import java.util.ArrayList;
import java.util.List;

/** Checks on the one JSON error shape every refusal has. */
final class ApiAssertions {
  private ApiAssertions() {}

  /**
   * Asserts {@code reply} is an error with this status and code in the standard body
   * {@code {"error","message","details"}} (no more keys), with no trace of the server's insides.
   *
   * @return the body, to look further at {@code details}
   */
  static JsonNode assertError(Reply reply, int status, String code) {
    assertThat(reply.status()).as("status of %s", reply.raw()).isEqualTo(status);
    assertThat(reply.header("Content-Type")).as("content type").startsWith("application/json");
    assertThat(reply.header("X-Request-Id")).as("X-Request-Id").isNotBlank();
    JsonNode body = reply.json();
    assertThat(fieldNames(body)).as("keys of %s", reply.raw()).containsExactly("error", "message", "details");
    assertThat(body.get("error").asText()).as("error code of %s", reply.raw()).isEqualTo(code);
    assertThat(body.get("message").isTextual()).isTrue();
    assertThat(body.get("message").asText()).isNotBlank();
    assertNoInternals(reply);
    return body;
  }

  /** An error whose {@code details} is JSON null: nothing more to say than the message. */
  static JsonNode assertPlainError(Reply reply, int status, String code) {
    JsonNode body = assertError(reply, status, code);
    assertThat(body.get("details").isNull()).as("details of %s", reply.raw()).isTrue();
    return body;
  }

  /**
   * A 422 {@code validation_failed} whose details list a {@code {field, code, message}} for
   * {@code field} with {@code code}.
   */
  static JsonNode assertFieldError(Reply reply, String field, String code) {
    JsonNode details = assertFieldErrors(reply);
    assertThat(fieldsAndCodes(details)).as("details of %s", reply.raw()).contains(field + ": " + code);
    return details;
  }

  /** A 422 {@code validation_failed} with a non-empty list of well-formed field errors. */
  static JsonNode assertFieldErrors(Reply reply) {
    JsonNode details = assertError(reply, 422, "validation_failed").get("details");
    assertThat(details.isArray()).as("details of %s", reply.raw()).isTrue();
    assertThat(details).isNotEmpty();
    for (JsonNode detail : details) {
      assertThat(fieldNames(detail)).containsExactly("field", "code", "message");
      assertThat(detail.get("message").asText()).isNotBlank();
    }
    return details;
  }

  /** "field: code" for each entry of a validation error's details. */
  static List<String> fieldsAndCodes(JsonNode details) {
    List<String> pairs = new ArrayList<>();
    details.forEach(d -> pairs.add(d.get("field").asText() + ": " + d.get("code").asText()));
    return pairs;
  }

  /** No stack trace, exception or class name of ours in the body. */
  static void assertNoInternals(Reply reply) {
    assertThat(reply.raw()).as("body").doesNotContain("Exception", "\tat ", "io.tabletap", "java.", "com.fasterxml", "SQL");
  }

  static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
