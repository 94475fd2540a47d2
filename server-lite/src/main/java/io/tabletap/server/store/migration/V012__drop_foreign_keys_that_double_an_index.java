package io.tabletap.server.store.migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Drops three foreign keys whose columns lead an index the table has anyway (docs/decisions/0026).
 *
 * <p>H2 gives every foreign key an index of exactly its columns and never shares a wider one, so
 * each of these kept a second B-tree that every webhook's commit rewrote: the event log's
 * {@code (cafe_id, room)} beside {@code UNIQUE (cafe_id, room, seq)}, the status history's
 * {@code (order_id)} beside its key {@code (order_id, version)}, the room table's {@code (cafe_id)}
 * beside its key {@code (cafe_id, room)}. One writer keeps each of them true: the event log makes
 * a room's row before its first event, the order store writes history with its order, and neither
 * rooms nor orders are ever deleted.
 *
 * <p>A Java migration because H2 named these constraints itself (CONSTRAINT_…): they are found by
 * table and referenced table, not by a name that depends on the order objects were created in.
 */
public class V012__drop_foreign_keys_that_double_an_index extends BaseJavaMigration {
  private static final String[][] FOREIGN_KEYS = {
      {"REALTIME_EVENTS", "REALTIME_ROOMS"},
      {"ORDER_STATUS_HISTORY", "ORDERS"},
      {"REALTIME_ROOMS", "CAFES"},
  };

  @Override
  public void migrate(Context context) throws SQLException {
    Connection c = context.getConnection();
    for (String[] key : FOREIGN_KEYS) {
      for (String name : foreignKeys(c, key[0], key[1])) {
        try (Statement s = c.createStatement()) {
          s.execute("ALTER TABLE " + key[0] + " DROP CONSTRAINT \"" + name + "\"");
        }
      }
    }
  }

  private static List<String> foreignKeys(Connection c, String table, String referenced) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT DISTINCT fk.CONSTRAINT_NAME "
        + "FROM INFORMATION_SCHEMA.REFERENTIAL_CONSTRAINTS rc "
        + "JOIN INFORMATION_SCHEMA.TABLE_CONSTRAINTS fk ON fk.CONSTRAINT_SCHEMA = rc.CONSTRAINT_SCHEMA "
        + "AND fk.CONSTRAINT_NAME = rc.CONSTRAINT_NAME "
        + "JOIN INFORMATION_SCHEMA.TABLE_CONSTRAINTS pk ON pk.CONSTRAINT_SCHEMA = rc.UNIQUE_CONSTRAINT_SCHEMA "
        + "AND pk.CONSTRAINT_NAME = rc.UNIQUE_CONSTRAINT_NAME "
        + "WHERE fk.TABLE_SCHEMA = SCHEMA() AND fk.TABLE_NAME = ? AND pk.TABLE_NAME = ?")) {
      s.setString(1, table);
      s.setString(2, referenced);
      try (ResultSet rs = s.executeQuery()) {
        List<String> names = new ArrayList<>();
        while (rs.next()) {
          names.add(rs.getString(1));
        }
        if (names.isEmpty()) {
          throw new SQLException("No foreign key from " + table + " to " + referenced + " to drop");
        }
        return names;
      }
    }
  }
}
