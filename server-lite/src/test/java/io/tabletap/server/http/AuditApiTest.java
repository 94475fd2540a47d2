package io.tabletap.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tabletap.server.audit.AuditEntry;
import io.tabletap.server.audit.AuditTypes;
import io.tabletap.server.device.Role;
import io.tabletap.server.domain.DomainEvent;
import io.tabletap.server.domain.PaymentCompleted;
import io.tabletap.server.domain.PaymentInitiated;
import io.tabletap.server.domain.PaymentRefunded;
import io.tabletap.server.testing.RunningServer;
import io.tabletap.server.testing.RunningServer.Reply;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit log of a real server: what payments write into it, and who may read it. */
class AuditApiTest {
  @TempDir static Path dir;
  static RunningServer server;
  static String cashier;
  static String admin;
  static final List<DomainEvent> published = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() {
    server = RunningServer.start(dir);
    server.server().events().subscribe(DomainEvent.class, published::add);
    cashier = server.token(Role.CASHIER);
    admin = server.token(Role.ADMIN);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aCashPaymentAndItsRefundsWriteOneRowPerStatusChangeAndReplayedEventsWriteNoMore() {
    String orderId = flatWhitesOrder();
    JsonNode payment = server.postJson("/api/orders/" + orderId + "/payments", cashier, "{\"method\":\"CASH\",\"tendered\":1240}").json();
    String paymentId = payment.get("id").asText();
    JsonNode partial = server.postJson("/api/payments/" + paymentId + "/refunds", cashier, "{\"amount\":500,\"reason\":\"cold coffee\"}").json();
    JsonNode rest = server.postJson("/api/payments/" + paymentId + "/refunds", admin, "{}").json();

    List<JsonNode> rows = records("?subject=" + paymentId);

    assertThat(rows).extracting(r -> r.get("type").asText()).containsExactly(AuditTypes.PAYMENT_STATUS_CHANGED,
        AuditTypes.PAYMENT_STATUS_CHANGED, AuditTypes.REFUND_COMPLETED, AuditTypes.REFUND_COMPLETED);
    assertThat(rows).extracting(r -> r.get("details").get("status") == null ? r.get("details").get("paymentStatus").asText()
        : r.get("details").get("status").asText()).containsExactly("PENDING", "COMPLETED", "PARTIALLY_REFUNDED", "REFUNDED");
    assertThat(rows).extracting(r -> r.get("actor").asText())
        .containsExactly("system", "system", partial.get("actor").asText(), rest.get("actor").asText());
    assertThat(rows.get(2).get("reason").asText()).isEqualTo("cold coffee");
    assertThat(rows.get(2).get("details").get("refundId").asText()).isEqualTo(partial.get("id").asText());
    assertThat(rows.get(3).get("details").get("amount").asLong()).isEqualTo(740);
    assertThat(rows).extracting(r -> r.get("dedupeKey").asText()).doesNotHaveDuplicates();
    assertThat(rows).allSatisfy(r -> {
      assertThat(r.get("cafeId").asText()).isEqualTo("demo");
      assertThat(r.get("hash").asText()).matches("[0-9a-f]{64}");
      assertThat(r.get("prevHash").asText()).matches("[0-9a-f]{64}");
    });

    List<DomainEvent> ofThisPayment = new ArrayList<>();
    for (DomainEvent e : published) {
      if (e instanceof PaymentInitiated i && i.payment().id().toString().equals(paymentId)
          || e instanceof PaymentCompleted c && c.payment().id().toString().equals(paymentId)
          || e instanceof PaymentRefunded r && r.payment().id().toString().equals(paymentId)) {
        ofThisPayment.add(e);
      }
    }
    assertThat(ofThisPayment).hasSize(4);
    ofThisPayment.forEach(server.server().events()::publish);

    assertThat(records("?subject=" + paymentId)).isEqualTo(rows);
    assertThat(server.server().audit().verify().ok()).isTrue();
  }

  @Test
  void aBankTransferConfirmedByHandIsRecordedWithTheDeviceAndItsReason() {
    String orderId = flatWhitesOrder();
    String paymentId = server.postJson("/api/orders/" + orderId + "/payments", cashier, "{\"method\":\"QR_CODE_BANK_TRANSFER\"}")
        .json().get("id").asText();
    Reply confirmed = server.postJson("/api/payments/" + paymentId + "/confirm", cashier, "{\"reason\":\"seen on the statement\"}");
    assertThat(confirmed.status()).isEqualTo(200);

    List<JsonNode> rows = records("?subject=" + paymentId);

    assertThat(rows).extracting(r -> r.get("type").asText())
        .containsExactly(AuditTypes.PAYMENT_STATUS_CHANGED, AuditTypes.PAYMENT_CONFIRMED_BY_HAND);
    JsonNode byHand = rows.get(1);
    assertThat(byHand.get("actor").asText()).isEqualTo(confirmed.json().get("confirmedBy").asText()).isNotEqualTo("system");
    assertThat(byHand.get("reason").asText()).isEqualTo("seen on the statement");
    assertThat(byHand.get("details").get("method").asText()).isEqualTo("QR_CODE_BANK_TRANSFER");
    assertThat(records("?type=" + AuditTypes.PAYMENT_CONFIRMED_BY_HAND)).extracting(r -> r.get("subject").asText()).contains(paymentId);
  }

  @Test
  void onlyAnAdminMayReadTheAuditLog() {
    assertThat(server.get("/api/admin/audit", admin).status()).isEqualTo(200);
    assertThat(server.get("/api/admin/audit", cashier).status()).isEqualTo(403);
    assertThat(server.get("/api/admin/audit", server.token(Role.KITCHEN)).status()).isEqualTo(403);
    Reply anonymous = server.get("/api/admin/audit", null);
    assertThat(anonymous.status()).isEqualTo(401);
    assertThat(anonymous.json().get("error").asText()).isEqualTo("unauthorized");
    assertThat(server.get("/api/admin/audit", "not-a-token").status()).isEqualTo(401);
  }

  @Test
  void anAdminSeesTheRowsOfTheirCafeAndServerWideOnesButNotAnotherCafes() {
    server.server().audit().append(AuditEntry.of("test.isolation", "system", "iso").withCafe("other"));
    server.server().audit().append(AuditEntry.of("test.isolation", AuditEntry.provider("payconic"), "iso"));
    server.server().audit().append(AuditEntry.of("test.isolation", "system", "iso").withCafe("demo"));

    List<JsonNode> rows = records("?subject=iso");

    assertThat(rows).extracting(r -> r.get("cafeId").isNull() ? null : r.get("cafeId").asText()).containsExactly(null, "demo");
  }

  @Test
  void pagesFollowAfterAndBadParametersAreRefused() {
    for (int i = 0; i < 5; i++) {
      server.server().audit().append(AuditEntry.of("test.paging", "system", "paging-" + i));
    }
    JsonNode first = server.get("/api/admin/audit?type=test.paging&limit=3", admin).json();
    assertThat(first.get("records")).hasSize(3);
    long next = first.get("nextAfter").asLong();
    assertThat(next).isEqualTo(first.get("records").get(2).get("seq").asLong());
    JsonNode second = server.get("/api/admin/audit?type=test.paging&limit=3&after=" + next, admin).json();
    assertThat(second.get("records")).extracting(r -> r.get("subject").asText()).containsExactly("paging-3", "paging-4");
    assertThat(second.get("nextAfter").isNull()).isTrue();

    for (String bad : List.of("limit=0", "limit=501", "limit=x", "after=-1", "after=x")) {
      Reply reply = server.get("/api/admin/audit?" + bad, admin);
      assertThat(reply.status()).as(bad).isEqualTo(400);
      assertThat(reply.json().get("error").asText()).isEqualTo("bad_parameter");
    }
  }

  @Test
  void noRowCarriesADeviceToken() {
    String orderId = flatWhitesOrder();
    server.postJson("/api/orders/" + orderId + "/payments", cashier, "{\"method\":\"CASH\",\"tendered\":2000}");

    String everything = server.get("/api/admin/audit?limit=500", admin).raw();

    assertThat(everything).contains(AuditTypes.PAYMENT_STATUS_CHANGED).doesNotContain(cashier).doesNotContain(admin);
  }

  private static String flatWhitesOrder() { // 2 × (450 + 100 + 70) = 1240
    Reply reply = server.postJson("/api/orders", cashier,
        "{\"type\":\"TAKEAWAY\",\"lines\":[{\"itemId\":\"flat-white\",\"quantity\":2,\"options\":[\"size-large\",\"milk-oat\"]}]}");
    assertThat(reply.status()).isEqualTo(201);
    return reply.json().get("id").asText();
  }

  private static List<JsonNode> records(String query) {
    Reply reply = server.get("/api/admin/audit" + query, admin);
    assertThat(reply.status()).isEqualTo(200);
    List<JsonNode> rows = new ArrayList<>();
    reply.json().get("records").forEach(rows::add);
    return rows;
  }
}
