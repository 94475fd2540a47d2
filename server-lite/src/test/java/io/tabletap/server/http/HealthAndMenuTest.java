package io.tabletap.server.http;

import static io.tabletap.server.http.ApiAssertions.assertPlainError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tabletap.server.Version;
import io.tabletap.server.device.Role;
import io.tabletap.server.testing.RunningServer;
import io.tabletap.server.testing.RunningServer.Reply;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class HealthAndMenuTest {
  @TempDir static Path dir;
  static RunningServer server;

  @BeforeAll
  static void start() {
    server = RunningServer.start(dir);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void healthIsUpWithVersionAndDatabaseAndNeedsNoToken() {
    Reply reply = server.get("/health", null);

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.header("Content-Type")).startsWith("application/json");
    JsonNode body = reply.json();
    assertThat(ApiAssertions.fieldNames(body)).containsExactly("status", "version", "db");
    assertThat(body.get("status").asText()).isEqualTo("UP");
    assertThat(body.get("db").asText()).isEqualTo("UP");
    assertThat(body.get("version").asText()).isEqualTo(Version.current()).isNotBlank().isNotEqualTo("dev");
  }

  @Test
  void healthIgnoresAnUnknownToken() {
    assertThat(server.get("/health", "tt_not-a-real-token").status()).isEqualTo(200);
  }

  /**
   * Without TCP_NODELAY the JDK server's body waits for the client's delayed ACK, which adds
   * about 40 ms to every answer; the server turns it on unless the operator chose otherwise.
   */
  @Test
  void turnsOnTcpNoDelaySoAnswersDoNotWaitForADelayedAck() {
    // Measured (docs/performance.md): 47 ms per request without it, about 4 ms with it. Speed is
    // measured by benchmarks, not asserted here; the switch itself is.
    assertThat(System.getProperty("sun.net.httpserver.nodelay")).isEqualTo("true");
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void menuIsReadableByEveryRole(Role role) {
    Reply reply = server.get("/api/menu", server.token(role));

    assertThat(reply.status()).as(reply.raw()).isEqualTo(200);
    assertThat(reply.json().get("cafeId").asText()).isEqualTo("demo");
  }

  @Test
  void menuNeedsADeviceToken() {
    assertPlainError(server.get("/api/menu", null), 401, "unauthorized");
  }

  @Test
  void menuStatesCurrencyAndTaxPolicyAndPricesInMinorUnits() {
    JsonNode menu = server.get("/api/menu", server.token(Role.CASHIER)).json();

    assertThat(menu.get("currency").asText()).isEqualTo("AUD");
    assertThat(menu.get("taxMode").asText()).isEqualTo("INCLUSIVE");
    assertThat(menu.get("taxRate").asText()).isEqualTo("10%");
    JsonNode flatWhite = item(menu, "flat-white");
    assertThat(flatWhite.get("name").asText()).isEqualTo("Flat white");
    assertThat(flatWhite.get("price").isIntegralNumber()).isTrue();
    assertThat(flatWhite.get("price").asLong()).isEqualTo(450);
    assertThat(flatWhite.get("available").asBoolean()).isTrue();
    assertThat(texts(flatWhite.get("modifierGroups"))).containsExactly("size", "milk", "coffee-extras");
  }

  @Test
  void menuListsCategoriesInOrderWithTheirItems() {
    JsonNode menu = server.get("/api/menu", server.token(Role.KITCHEN)).json();

    List<String> categories = new ArrayList<>();
    menu.get("categories").forEach(c -> categories.add(c.get("id").asText()));
    assertThat(categories).containsExactly("coffee", "cold-drinks", "food", "sweets");
    int items = 0;
    for (JsonNode category : menu.get("categories")) {
      items += category.get("items").size();
    }
    assertThat(items).isEqualTo(21);
  }

  @Test
  void menuShowsEggsBenedictAsUnavailable() {
    JsonNode menu = server.get("/api/menu", server.token(Role.CUSTOMER_DISPLAY)).json();

    assertThat(item(menu, "eggs-benedict").get("available").asBoolean()).isFalse();
  }

  @Test
  void menuDescribesModifierGroupsWithTheirChoiceBoundsAndPriceDeltas() {
    JsonNode menu = server.get("/api/menu", server.token(Role.CASHIER)).json();

    JsonNode size = group(menu, "size");
    assertThat(size.get("minChoices").asInt()).isEqualTo(1);
    assertThat(size.get("maxChoices").asInt()).isEqualTo(1);
    assertThat(texts(size.get("options"), "id")).containsExactly("size-small", "size-regular", "size-large");
    assertThat(size.get("options").get(2).get("priceDelta").asLong()).isEqualTo(100);
    JsonNode extras = group(menu, "coffee-extras");
    assertThat(extras.get("minChoices").asInt()).isZero();
    assertThat(extras.get("maxChoices").asInt()).isEqualTo(3);
  }

  private static JsonNode item(JsonNode menu, String id) {
    for (JsonNode category : menu.get("categories")) {
      for (JsonNode item : category.get("items")) {
        if (item.get("id").asText().equals(id)) {
          return item;
        }
      }
    }
    throw new AssertionError("No item " + id + " in " + menu);
  }

  private static JsonNode group(JsonNode menu, String id) {
    for (JsonNode group : menu.get("modifierGroups")) {
      if (group.get("id").asText().equals(id)) {
        return group;
      }
    }
    throw new AssertionError("No modifier group " + id + " in " + menu);
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(n -> texts.add(n.asText()));
    return texts;
  }

  private static List<String> texts(JsonNode array, String field) {
    List<String> texts = new ArrayList<>();
    array.forEach(n -> texts.add(n.get(field).asText()));
    return texts;
  }
}
