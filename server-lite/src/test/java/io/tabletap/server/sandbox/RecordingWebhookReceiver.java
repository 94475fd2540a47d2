package io.tabletap.server.sandbox;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A tiny webhook endpoint on a free port that records every delivery (raw body bytes and headers)
 * and answers 200, or what it was told to answer next: a status, or 0 to drop the connection
 * without an answer.
 */
final class RecordingWebhookReceiver implements AutoCloseable {
  /** One delivery as it arrived, and what it was answered (0: dropped). */
  record Delivery(byte[] body, Map<String, List<String>> headers, int answered) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    String header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
          .flatMap(e -> e.getValue().stream()).findFirst().orElse(null);
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final List<Delivery> deliveries = new ArrayList<>();
  private final Deque<Integer> nextAnswers = new ArrayDeque<>();

  private RecordingWebhookReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    server.setExecutor(executor);
    server.createContext("/", this::receive);
    server.start();
  }

  static RecordingWebhookReceiver start() throws IOException {
    return new RecordingWebhookReceiver();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/webhooks/payconic";
  }

  /** The next deliveries are answered these statuses, in order (0: connection dropped); then 200. */
  synchronized void answerNext(int... statuses) {
    for (int status : statuses) {
      nextAnswers.add(status);
    }
  }

  synchronized List<Delivery> deliveries() {
    return List.copyOf(deliveries);
  }

  /** Deliveries that were answered 2xx. */
  synchronized List<Delivery> accepted() {
    return deliveries.stream().filter(d -> d.answered() >= 200 && d.answered() < 300).toList();
  }

  private void receive(HttpExchange exchange) throws IOException {
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readAllBytes();
    }
    Map<String, List<String>> headers = new LinkedHashMap<>();
    Headers received = exchange.getRequestHeaders();
    received.forEach((name, values) -> headers.put(name, List.copyOf(values)));
    int answer;
    synchronized (this) {
      answer = nextAnswers.isEmpty() ? 200 : nextAnswers.poll();
      deliveries.add(new Delivery(body, headers, answer));
    }
    if (answer == 0) {
      exchange.close();
      return;
    }
    exchange.sendResponseHeaders(answer, -1);
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
