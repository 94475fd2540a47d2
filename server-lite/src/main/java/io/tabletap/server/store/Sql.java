package io.tabletap.server.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Small JDBC helpers shared by the stores: instants in and out of TIMESTAMP WITH TIME ZONE. */
final class Sql {
  private Sql() {}

  static void setInstant(PreparedStatement statement, int index, Instant instant) throws SQLException {
    statement.setObject(index, instant == null ? null : instant.atOffset(ZoneOffset.UTC));
  }

  static Instant getInstant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  /** True if {@code e} says a unique or primary key was violated (SQLState 23505). */
  static boolean isDuplicateKey(SQLException e) {
    return "23505".equals(e.getSQLState());
  }
}
