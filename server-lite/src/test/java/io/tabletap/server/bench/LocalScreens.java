package io.tabletap.server.bench;

import java.util.List;

/** The clients in the benchmark's own JVM: their CPU and garbage are the server's too. */
final class LocalScreens implements Screens {
  private final List<BenchScreen> screens;

  LocalScreens(List<BenchScreen> screens) {
    this.screens = List.copyOf(screens);
  }

  @Override
  public int size() {
    return screens.size();
  }

  @Override
  public long received(int from, int to) {
    return Tally.received(screens, from, to);
  }

  @Override
  public Tally tally(int from, int to) {
    return Tally.of(screens, from, to, false);
  }

  @Override
  public void close() {
    screens.forEach(BenchScreen::close);
  }
}
