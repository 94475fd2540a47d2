package io.tabletap.server.device;

/** The pairing code is wrong, expired, used or burnt; the message never says which. */
public final class PairingRefusedException extends RuntimeException {
  public PairingRefusedException() {
    super("This pairing code is not valid: it may be wrong, used or expired. Ask for a new one.", null, false, false);
  }
}
