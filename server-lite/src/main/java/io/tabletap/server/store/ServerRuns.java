package io.tabletap.server.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's runs, one row each in {@code server_runs}: whether the last one stopped cleanly
 * decides the band this one numbers room events in (decision 0032).
 *
 * <p>A webhook batch's commit reaches the file up to a store interval after its events went out
 * to the screens. A crash in between takes the commit, and so the numbers of those events, back;
 * the journal then runs the webhooks again, and their events get numbers again. Were those the
 * same numbers, a screen that saw seq 101 would resume after 101 and miss whichever event the
 * second run numbered 101. So a run after a crash numbers in a band of its own
 * ({@code band · 2^40 + n}), and no number is ever given to two events.
 */
public final class ServerRuns {
  private static final Logger log = LoggerFactory.getLogger(ServerRuns.class);
  private final Database db;
  private final long id;
  private final long band;
  private final Clock clock;

  private ServerRuns(Database db, long id, long band, Clock clock) {
    this.db = db;
    this.id = id;
    this.band = band;
    this.clock = clock;
  }

  /** Records the start of a run: in the last run's band if it stopped cleanly, else in the next. */
  public static ServerRuns begin(Database db, Clock clock) {
    return db.inTransaction(c -> {
      long lastId = 0;
      long band = 0;
      boolean crashed = false;
      // few rows (one per start), so the forward-only MAX is cheap
      try (PreparedStatement s = c.prepareStatement(
          "SELECT id, band, stopped_at IS NULL FROM server_runs WHERE id = (SELECT MAX(id) FROM server_runs)");
          ResultSet rs = s.executeQuery()) {
        if (rs.next()) {
          lastId = rs.getLong(1);
          crashed = rs.getBoolean(3);
          band = rs.getLong(2) + (crashed ? 1 : 0);
        }
      }
      try (PreparedStatement s = c.prepareStatement("INSERT INTO server_runs (id, band, started_at) VALUES (?,?,?)")) {
        s.setLong(1, lastId + 1);
        s.setLong(2, band);
        Sql.setInstant(s, 3, clock.instant());
        s.executeUpdate();
      }
      if (crashed) {
        log.warn("The last run of the server did not stop cleanly; webhooks it had not stored are processed again from the"
            + " journal, and room events are numbered from {} on (band {}; decision 0032)", JdbcEventLog.base(band) + 1, band);
      }
      return new ServerRuns(db, lastId + 1, band, clock);
    });
  }

  /** The band this run numbers room events in. */
  public long band() {
    return band;
  }

  /** Records a clean stop: call once nothing writes any more, before the database closes. */
  public void end() {
    db.inTransaction(c -> {
      try (PreparedStatement s = c.prepareStatement("UPDATE server_runs SET stopped_at = ? WHERE id = ?")) {
        Sql.setInstant(s, 1, clock.instant());
        s.setLong(2, id);
        return s.executeUpdate();
      }
    });
  }
}
