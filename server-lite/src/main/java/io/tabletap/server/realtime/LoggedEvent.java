package io.tabletap.server.realtime;

import java.time.Instant;

/** An event as the log keeps it: numbered within its room, its data already JSON. */
public record LoggedEvent(RoomKey room, long seq, String event, String dataJson, Instant at) {}
