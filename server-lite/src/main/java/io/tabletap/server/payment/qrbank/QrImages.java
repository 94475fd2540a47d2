package io.tabletap.server.payment.qrbank;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.client.j2se.MatrixToImageWriter;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;

/**
 * QR code images by ZXing: 256 × 256 px PNG, error correction M (15%, what EPC069-12 asks for),
 * the standard quiet zone of four modules. Thread-safe.
 *
 * <p>An ASCII payload is encoded as it is, with no ECI header (the widest compatibility with
 * banking apps); any other payload as UTF-8 behind an ECI header, so readers decode it exactly.
 */
public final class QrImages {
  public static final int SIZE = 256;
  private static final int QUIET_ZONE_MODULES = 4;

  private QrImages() {}

  /**
   * The PNG bytes of a QR code holding {@code payload}.
   *
   * @throws IllegalArgumentException if the payload does not fit in a QR code
   */
  public static byte[] png(String payload) {
    Map<EncodeHintType, Object> hints = new EnumMap<>(EncodeHintType.class);
    hints.put(EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M);
    hints.put(EncodeHintType.MARGIN, QUIET_ZONE_MODULES);
    if (!StandardCharsets.US_ASCII.newEncoder().canEncode(payload)) {
      hints.put(EncodeHintType.CHARACTER_SET, StandardCharsets.UTF_8.name());
    }
    BitMatrix matrix;
    try {
      matrix = new QRCodeWriter().encode(payload, BarcodeFormat.QR_CODE, SIZE, SIZE, hints);
    } catch (WriterException e) {
      throw new IllegalArgumentException("The payload does not fit in a QR code: " + e.getMessage(), e);
    }
    ByteArrayOutputStream png = new ByteArrayOutputStream(2048);
    try {
      MatrixToImageWriter.writeToStream(matrix, "PNG", png);
    } catch (IOException e) {
      throw new UncheckedIOException("Writing a PNG to memory failed", e);
    }
    return png.toByteArray();
  }
}
