package io.tabletap.server.payment.qrbank;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.random.RandomGenerator;

/** Draws the given numbers in order, then from a seeded generator: to force a collision. */
final class ScriptedRandom implements RandomGenerator {
  private final Deque<Integer> script = new ArrayDeque<>();
  private final RandomGenerator after = RandomGenerator.of("L64X128MixRandom");

  /** Makes the next reference drawn have these seven random symbols. */
  ScriptedRandom thenReference(String first7) {
    for (char c : first7.toCharArray()) {
      script.add(PaymentReference.ALPHABET.indexOf(c));
    }
    return this;
  }

  @Override
  public int nextInt(int bound) {
    return script.isEmpty() ? after.nextInt(bound) : script.poll();
  }

  @Override
  public long nextLong() {
    return after.nextLong();
  }
}
