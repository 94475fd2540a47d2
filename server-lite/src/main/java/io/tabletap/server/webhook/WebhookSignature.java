package io.tabletap.server.webhook;

import io.tabletap.server.config.Secret;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and verifies webhook bodies with a timestamped HMAC, as in the header
 * {@code Payconic-Signature: t=1767225600,v1=5f1c…}.
 *
 * <p>{@code v1} is the lowercase hex of HMAC-SHA256 keyed with the UTF-8 bytes of the secret, over
 * the ASCII bytes of {@code t}, one {@code .}, then the body exactly as it came off the wire. The
 * body is never parsed and re-serialised before verifying: one changed byte, even white space,
 * fails. A header may carry several {@code v1} entries (a sender signing with an old and a new
 * secret while they rotate); one entry matching one of the receiver's secrets is enough. Entries
 * with other names ({@code v0}, future schemes) are ignored.
 *
 * <p>Thread-safe; holds no state.
 */
public final class WebhookSignature {
  /** How far a signature's timestamp may be from the receiver's clock, in either direction. */
  public static final Duration TOLERANCE = Duration.ofSeconds(300);

  /** Longer headers are refused before any parsing. */
  static final int MAX_HEADER_LENGTH = 2048;
  private static final int MAX_SIGNATURES = 8;
  private static final int HMAC_SHA256_HEX_LENGTH = 64;
  private static final String ALGORITHM = "HmacSHA256";
  // compiled once: String.matches compiles its pattern on every call (seen in the HTTP threads' profile)
  private static final Pattern UNIX_SECONDS = Pattern.compile("[0-9]{1,12}");
  private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]+");

  private WebhookSignature() {}

  /**
   * The header value for {@code rawBody} signed at {@code timestamp} (unix seconds) with {@code
   * secret}: {@code t=<timestamp>,v1=<hex>}.
   */
  public static String sign(Secret secret, long timestamp, byte[] rawBody) {
    return "t=" + timestamp + ",v1=" + HexFormat.of().formatHex(hmac(secret, timestamp, rawBody));
  }

  /** One header value carrying a {@code v1} for each secret, for a sender in the middle of a rotation. */
  public static String sign(List<Secret> secrets, long timestamp, byte[] rawBody) {
    StringBuilder header = new StringBuilder("t=").append(timestamp);
    for (Secret secret : secrets) {
      header.append(",v1=").append(HexFormat.of().formatHex(hmac(secret, timestamp, rawBody)));
    }
    return header.toString();
  }

  /**
   * Verifies the signature found in the request header {@code headerName} (matched without case;
   * several values are joined by commas, as HTTP allows).
   */
  public static Instant verify(byte[] rawBody, java.util.Map<String, List<String>> headers, String headerName,
      List<Secret> secrets, Clock clock) {
    List<String> values = new java.util.ArrayList<>();
    headers.forEach((key, list) -> {
      if (key != null && key.equalsIgnoreCase(headerName) && list != null) {
        values.addAll(list);
      }
    });
    return verify(rawBody, values.isEmpty() ? null : String.join(",", values), secrets, clock);
  }

  /** {@link #verify(byte[], String, List, Clock, Duration)} with the default {@link #TOLERANCE}. */
  public static Instant verify(byte[] rawBody, String headerValue, List<Secret> secrets, Clock clock) {
    return verify(rawBody, headerValue, secrets, clock, TOLERANCE);
  }

  /**
   * Checks that {@code headerValue} signs exactly {@code rawBody} with one of {@code secrets}, and
   * that it was signed within {@code tolerance} of {@code clock}'s now. Comparisons take the same
   * time whichever byte differs ({@link MessageDigest#isEqual}).
   *
   * @return the signature's timestamp
   * @throws WebhookRejectedException with reason {@code missing_signature} (null or blank header),
   *     {@code malformed_signature} (no {@code t}, no {@code v1}, not hex, too long), {@code
   *     bad_signature} (no entry matches any secret) or {@code stale_timestamp} (authentic but
   *     signed too long ago or too far in the future: a replay, or a clock that is off). Its
   *     message never contains a secret or an expected signature.
   */
  public static Instant verify(byte[] rawBody, String headerValue, List<Secret> secrets, Clock clock, Duration tolerance) {
    if (headerValue == null || headerValue.isBlank()) {
      throw new WebhookRejectedException("missing_signature", "No signature header");
    }
    if (secrets.isEmpty()) {
      throw new IllegalArgumentException("No webhook secret to verify with");
    }
    Parsed parsed = parse(headerValue);
    boolean matched = false;
    for (Secret secret : secrets) {
      byte[] expected = hmac(secret, parsed.timestamp(), rawBody);
      for (byte[] candidate : parsed.signatures()) {
        matched |= MessageDigest.isEqual(expected, candidate);
      }
    }
    if (!matched) {
      throw new WebhookRejectedException("bad_signature", "The signature does not match the body");
    }
    Instant signedAt = Instant.ofEpochSecond(parsed.timestamp());
    Duration skew = Duration.between(signedAt, clock.instant()).abs();
    if (skew.compareTo(tolerance) > 0) {
      throw new WebhookRejectedException("stale_timestamp",
          "Signed at " + signedAt + ", " + skew.toSeconds() + " s from now (tolerance " + tolerance.toSeconds() + " s)");
    }
    return signedAt;
  }

  private record Parsed(long timestamp, List<byte[]> signatures) {}

  private static Parsed parse(String header) {
    if (header.length() > MAX_HEADER_LENGTH) {
      throw malformed("longer than " + MAX_HEADER_LENGTH + " characters");
    }
    Long timestamp = null;
    List<byte[]> signatures = new ArrayList<>();
    for (String element : header.split(",", -1)) {
      String part = element.strip();
      int eq = part.indexOf('=');
      if (eq <= 0) {
        throw malformed("an element is not key=value");
      }
      String key = part.substring(0, eq);
      String value = part.substring(eq + 1);
      if (key.equals("t")) {
        if (timestamp != null || !UNIX_SECONDS.matcher(value).matches()) {
          throw malformed("t must appear once, as unix seconds");
        }
        timestamp = Long.parseLong(value);
      } else if (key.equals("v1")) {
        if (value.length() != HMAC_SHA256_HEX_LENGTH || !HEX.matcher(value).matches()) {
          throw malformed("v1 must be " + HMAC_SHA256_HEX_LENGTH + " hex digits");
        }
        if (signatures.size() == MAX_SIGNATURES) {
          throw malformed("more than " + MAX_SIGNATURES + " v1 entries");
        }
        signatures.add(HexFormat.of().parseHex(value));
      }
    }
    if (timestamp == null || signatures.isEmpty()) {
      throw malformed("it needs t and at least one v1");
    }
    return new Parsed(timestamp, signatures);
  }

  private static WebhookRejectedException malformed(String why) {
    return new WebhookRejectedException("malformed_signature", "Malformed signature header: " + why);
  }

  private static byte[] hmac(Secret secret, long timestamp, byte[] rawBody) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(secret.reveal().getBytes(StandardCharsets.UTF_8), ALGORITHM));
      mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
      return mac.doFinal(rawBody);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}
