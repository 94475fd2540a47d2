package io.tabletap.server.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.BiConsumer;

/**
 * Sender threads, each with its own {@link HttpConnection}, for load at a fixed rate: a request
 * submitted at its due time goes out on the next free connection. With too few connections a
 * request waits for one; the benchmarks measure from the due time, so such waits count (no
 * coordinated omission).
 */
final class SenderPool implements AutoCloseable {
  /** A request to post; {@code done} gets the answer, or the failure (then the answer is null). */
  record Post(String path, Map<String, String> headers, byte[] body, BiConsumer<HttpConnection.Answer, IOException> done) {}

  private static final Post STOP = new Post(null, null, null, null);
  private final BlockingQueue<Post> posts = new LinkedBlockingQueue<>();
  private final List<Thread> senders = new ArrayList<>();

  SenderPool(String host, int port, int connections) {
    for (int i = 0; i < connections; i++) {
      Thread sender = new Thread(() -> send(new HttpConnection(host, port)), "bench-sender-" + i);
      sender.setDaemon(true); // exec:java waits for every non-daemon thread before it returns
      sender.start();
      senders.add(sender);
    }
  }

  void submit(Post post) {
    posts.add(post);
  }

  private void send(HttpConnection connection) {
    try (connection) {
      for (Post post = posts.take(); post != STOP; post = posts.take()) {
        HttpConnection.Answer answer;
        try {
          answer = connection.post(post.path(), post.headers(), post.body());
        } catch (IOException e) {
          connection.close();
          post.done().accept(null, e);
          continue;
        }
        post.done().accept(answer, null);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Lets the senders finish what was submitted, then stops them. */
  @Override
  public void close() throws InterruptedException {
    senders.forEach(s -> posts.add(STOP));
    for (Thread sender : senders) {
      sender.join();
    }
  }
}
