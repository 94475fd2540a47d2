package io.tabletap.server.payment.qrbank;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.Result;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Map;
import javax.imageio.ImageIO;

/** Reads a QR PNG back the way a phone would: ZXing's reader over the decoded image. */
final class QrDecoder {
  private QrDecoder() {}

  static BufferedImage image(byte[] png) {
    try {
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
      if (image == null) {
        throw new AssertionError("Not a readable image");
      }
      return image;
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  static Result decode(byte[] png) {
    BinaryBitmap bitmap = new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(image(png))));
    try {
      return new QRCodeReader().decode(bitmap, Map.of(DecodeHintType.TRY_HARDER, Boolean.TRUE));
    } catch (Exception e) {
      throw new AssertionError("The QR code could not be read", e);
    }
  }
}
