package io.tabletap.server.testing;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Records everything written to {@code System.err} (where slf4j-simple writes the log) while it is
 * open, and still passes it through. Tests run one at a time in a JVM here; do not use it from
 * tests that run in parallel.
 */
public final class RecordingStderr implements AutoCloseable {
  private final PrintStream original = System.err;
  private final ByteArrayOutputStream recorded = new ByteArrayOutputStream();

  private RecordingStderr() {
    System.setErr(new PrintStream(new Tee(original, recorded), true, StandardCharsets.UTF_8));
  }

  public static RecordingStderr start() {
    return new RecordingStderr();
  }

  public String text() {
    System.err.flush();
    return recorded.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    System.err.flush();
    System.setErr(original);
  }

  private static final class Tee extends OutputStream {
    private final PrintStream passThrough;
    private final ByteArrayOutputStream copy;

    Tee(PrintStream passThrough, ByteArrayOutputStream copy) {
      this.passThrough = passThrough;
      this.copy = copy;
    }

    @Override
    public void write(int c) {
      write(new byte[] {(byte) c}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int off, int len) {
      passThrough.write(bytes, off, len);
      copy.write(bytes, off, len);
    }

    @Override
    public void flush() {
      passThrough.flush();
    }
  }
}
