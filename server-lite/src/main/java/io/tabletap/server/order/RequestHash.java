package io.tabletap.server.order;

import io.tabletap.server.domain.OrderRequest;
import io.tabletap.server.domain.OrderRequest.LineRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A fingerprint of what an order request means (not of its bytes), so that a retry with the same
 * content but other whitespace or key order counts as the same request.
 */
final class RequestHash {
  private RequestHash() {}

  static String of(OrderRequest request) {
    StringBuilder canonical = new StringBuilder();
    canonical.append("v1|").append(request.id()).append('|').append(request.type()).append('|').append(request.table());
    if (request.lines() != null) {
      for (LineRequest line : request.lines()) {
        canonical.append("|line:").append(line == null ? "null" : line.itemId() + "," + line.quantity() + "," + line.options()
            + "," + (line.note() == null ? "" : line.note().length() + ":" + line.note()));
      }
    }
    try {
      return HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
