package io.tabletap.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class AuditChainTest {
  private static final Instant AT = Instant.parse("2026-11-25T23:00:00Z");

  @Test
  void theHashIsSha256OfTheDocumentedLengthPrefixedEncoding() throws Exception {
    String canonical = "tabletap-audit/1"
        + "\n1:7"
        + "\n24:2026-11-25T23:00:00.000Z"
        + "\n22:payment.status_changed"
        + "\n6:system"
        + "\n-"
        + "\n3:p-1"
        + "\n4:demo"
        + "\n2:{}"
        + "\n19:payment:p-1:PENDING"
        + "\n64:" + AuditChain.GENESIS_HASH;
    String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8)));

    assertThat(AuditChain.hash(7, AT, "payment.status_changed", "system", null, "p-1", "demo", "{}", "payment:p-1:PENDING",
        AuditChain.GENESIS_HASH)).isEqualTo(expected).hasSize(64).matches("[0-9a-f]{64}");
  }

  @Test
  void fieldsThatWouldRunTogetherStillHashDifferently() {
    assertThat(hashWith("ab", "c")).isNotEqualTo(hashWith("a", "bc"));
    assertThat(hashWith("a\n1:b", null)).isNotEqualTo(hashWith("a", "b"));
    assertThat(hashWith(null, "x")).isNotEqualTo(hashWith("", "x")).isNotEqualTo(hashWith("-", "x"));
  }

  @Test
  void lengthsCountUtf8BytesSoAnyTextIsUnambiguous() {
    byte[] bytes = AuditChain.canonical(1, AT, "a.b", "café", null, null, null, "{}", null, AuditChain.GENESIS_HASH);
    assertThat(new String(bytes, StandardCharsets.UTF_8)).contains("\n5:café\n");
  }

  @Test
  void everyFieldIsCovered() {
    String base = AuditChain.hash(1, AT, "a.b", "x", "r", "s", "c", "{}", "k", AuditChain.GENESIS_HASH);
    assertThat(java.util.List.of(
        AuditChain.hash(2, AT, "a.b", "x", "r", "s", "c", "{}", "k", AuditChain.GENESIS_HASH),
        AuditChain.hash(1, AT.plusMillis(1), "a.b", "x", "r", "s", "c", "{}", "k", AuditChain.GENESIS_HASH),
        AuditChain.hash(1, AT, "a.c", "x", "r", "s", "c", "{}", "k", AuditChain.GENESIS_HASH),
        AuditChain.hash(1, AT, "a.b", "y", "r", "s", "c", "{}", "k", AuditChain.GENESIS_HASH),
        AuditChain.hash(1, AT, "a.b", "x", "q", "s", "c", "{}", "k", AuditChain.GENESIS_HASH),
        AuditChain.hash(1, AT, "a.b", "x", "r", "t", "c", "{}", "k", AuditChain.GENESIS_HASH),
        AuditChain.hash(1, AT, "a.b", "x", "r", "s", "d", "{}", "k", AuditChain.GENESIS_HASH),
        AuditChain.hash(1, AT, "a.b", "x", "r", "s", "c", "{\"a\":1}", "k", AuditChain.GENESIS_HASH),
        AuditChain.hash(1, AT, "a.b", "x", "r", "s", "c", "{}", "l", AuditChain.GENESIS_HASH),
        AuditChain.hash(1, AT, "a.b", "x", "r", "s", "c", "{}", "k", "1".repeat(64))))
        .doesNotContain(base).doesNotHaveDuplicates();
  }

  private static String hashWith(String actor, String reason) {
    return AuditChain.hash(1, AT, "a.b", actor, reason, null, null, "{}", null, AuditChain.GENESIS_HASH);
  }
}
