package io.tabletap.server.ws;

/** The close codes the server uses besides the standard ones; docs/protocol.md lists them all. */
public final class CloseCodes {
  /** Bad frames: after {@code badFrameLimit} malformed or unknown frames. */
  public static final int BAD_FRAMES = 4400;
  /** No valid authentication in time, or a bad token. */
  public static final int UNAUTHENTICATED = 4401;
  /** The device was revoked. */
  public static final int REVOKED = 4403;
  /** The client fell behind: its outbound buffer overflowed. Resubscribe with {@code since}. */
  public static final int TOO_SLOW = 4408;
  /** The client sends frames faster than the server handles them. */
  public static final int FLOODING = 4429;
  /** Standard: the server is stopping. */
  public static final int GOING_AWAY = 1001;
  /** Standard: a frame or message over the size limit. */
  public static final int TOO_BIG = 1009;
  /** Standard (used here for a silent peer): the connection is considered lost. */
  public static final int LOST = 1006;

  private CloseCodes() {}
}
