package io.tabletap.server.bench;

import java.io.BufferedReader;
import java.io.DataOutputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The real-time benchmark's clients in a JVM of their own ({@link ChildScreens} starts it). Reads
 * commands on stdin, one per line, and answers each on stdout with one line:
 *
 * <ul>
 *   <li>{@code connect <ws uri> <clients> <orders file> <kitchen token> <cashier token>}: the orders
 *       file holds webhook i's order id on line i; answers {@code ready} once every client joined its rooms;
 *   <li>{@code received <from> <to>}: answers the count of (client, webhook) pairs received;
 *   <li>{@code tally <from> <to> <file>}: writes the {@link Screens.Tally} to the file, answers {@code ok};
 *   <li>{@code close}: closes the clients and exits.
 * </ul>
 *
 * Tokens come on stdin, not in arguments, which other users of the machine could read.
 */
public final class ScreenHost {
  private ScreenHost() {}

  public static void main(String[] args) throws Exception {
    PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
    System.setOut(System.err); // only answers on stdout
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    List<BenchScreen> screens = new ArrayList<>();
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      String[] w = line.split(" ");
      switch (w[0]) {
        case "connect" -> {
          URI uri = URI.create(w[1]);
          Map<UUID, Integer> indexOfOrder = new HashMap<>();
          List<String> orders = Files.readAllLines(Path.of(w[3]));
          for (int i = 0; i < orders.size(); i++) {
            indexOfOrder.put(UUID.fromString(orders.get(i)), i);
          }
          for (int c = 0; c < Integer.parseInt(w[2]); c++) {
            BenchScreen screen = BenchScreen.forClient(c, uri, w[4], w[5], indexOfOrder);
            screen.join();
            screens.add(screen);
          }
          out.println("ready");
        }
        case "received" -> out.println(Screens.Tally.received(screens, Integer.parseInt(w[1]), Integer.parseInt(w[2])));
        case "tally" -> {
          Screens.Tally tally = Screens.Tally.of(screens, Integer.parseInt(w[1]), Integer.parseInt(w[2]), true);
          try (OutputStream file = Files.newOutputStream(Path.of(w[3]));
              DataOutputStream data = new DataOutputStream(new java.io.BufferedOutputStream(file))) {
            tally.write(data);
          }
          out.println("ok");
        }
        case "close" -> {
          screens.forEach(BenchScreen::close);
          out.println("closed");
          return;
        }
        default -> out.println("unknown command " + w[0]);
      }
    }
  }
}
