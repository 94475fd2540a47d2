package io.tabletap.server.bench;

import io.tabletap.server.testing.JavaProcess;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The clients in a JVM of their own ({@link ScreenHost}), as kitchen screens and tills are devices
 * of their own: their CPU still comes from the same two cores, but their garbage no longer stops
 * the server for its collections (they allocated half of the benchmark JVM's bytes; session 7).
 */
final class ChildScreens implements Screens {
  private final Process process;
  private final PrintWriter commands;
  private final BufferedReader answers;
  private final Path dir;
  private final int size;

  private ChildScreens(Process process, Path dir, int size) {
    this.process = process;
    this.commands = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
    this.answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    this.dir = dir;
    this.size = size;
  }

  /** Starts the JVM and connects {@code count} clients; {@code orders} are the webhooks' order ids, in webhook order. */
  static ChildScreens start(URI uri, int count, List<UUID> orders, String kitchenToken, String cashierToken, Path dir)
      throws IOException {
    Path ordersFile = dir.resolve("bench-orders.txt");
    Files.write(ordersFile, orders.stream().map(UUID::toString).toList());
    Process process = JavaProcess.of(ScreenHost.class, List.of("-XX:+UseParallelGC")).redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    ChildScreens screens = new ChildScreens(process, dir, count);
    screens.ask("connect " + uri + " " + count + " " + ordersFile + " " + kitchenToken + " " + cashierToken, "ready");
    return screens;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public long received(int from, int to) throws IOException {
    return Long.parseLong(ask("received " + from + " " + to, null));
  }

  @Override
  public Tally tally(int from, int to) throws IOException {
    Path file = dir.resolve("bench-tally.bin");
    ask("tally " + from + " " + to + " " + file, "ok");
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
      return Tally.read(in);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  @Override
  public void close() throws IOException, InterruptedException {
    if (process.isAlive()) {
      ask("close", "closed");
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  /** Sends a command and returns its answer, which must be {@code expected} if that is not null. */
  private String ask(String command, String expected) throws IOException {
    commands.println(command);
    String answer = answers.readLine();
    if (answer == null || expected != null && !expected.equals(answer)) {
      process.destroyForcibly();
      throw new IOException("the clients' JVM answered " + answer + " to " + command.split(" ")[0]);
    }
    return answer;
  }
}
