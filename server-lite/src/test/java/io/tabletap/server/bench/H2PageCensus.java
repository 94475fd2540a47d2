package io.tabletap.server.bench;

import io.tabletap.server.ServerLite;
import io.tabletap.server.domain.PaymentCompleted;
import io.tabletap.server.store.Database;
import io.tabletap.server.tx.CommitHook;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.Page;
import org.h2.schema.Schema;
import org.h2.schema.SchemaObject;

/**
 * Which B-trees a webhook's commit rewrites: just before each commit that completes a payment, the
 * pages of every H2 map not yet saved (with WRITE_DELAY=0 the commit writes each of them), per
 * table or index. This is how decisions 0026 and 0027 found their pages; {@code --page-census}
 * turns it on (it walks every map, so it slows the worker: its latencies mean nothing then).
 */
final class H2PageCensus {
  private final ServerLite server;
  private final Database db;
  private final Map<String, AtomicLong> pages = new HashMap<>();
  private final AtomicLong commits = new AtomicLong();
  private volatile long lastVersion = -1;
  /** Object id to table or index name, read at the first commit: a benchmark makes no tables. */
  private Map<Integer, String> names;

  private H2PageCensus(ServerLite server, Database db) {
    this.server = server;
    this.db = db;
  }

  static H2PageCensus attach(ServerLite server, Database db) {
    H2PageCensus census = new H2PageCensus(server, db);
    server.events().subscribe(PaymentCompleted.class, e -> server.transactions().atEnd(new CommitHook() {
      @Override
      public int stage() {
        return Integer.MAX_VALUE; // after the room events and audit rows are written
      }

      @Override
      public void beforeCommit() {
        census.count();
      }
    }));
    return census;
  }

  private void count() {
    db.read(c -> {
      org.h2.engine.Database h2 = BenchData.h2Of(c);
      MVStore store = h2.getStore().getMvStore();
      long version = store.getCurrentVersion();
      if (version == lastVersion) {
        return null; // another payment of the same commit
      }
      lastVersion = version;
      commits.incrementAndGet();
      if (names == null) {
        names = objectNames(h2);
      }
      for (String mapName : store.getMapNames()) {
        MVMap<Object, Object> map = store.openMap(mapName);
        int unsaved = unsaved(map.getRootPage());
        if (unsaved > 0) {
          pages.computeIfAbsent(label(mapName, names), k -> new AtomicLong()).addAndGet(unsaved);
        }
      }
      return null;
    });
  }

  private static int unsaved(Page<?, ?> page) {
    if (page.isSaved() || page.isLeaf() && page.getKeyCount() == 0) {
      return 0; // an empty map's root leaf is never written
    }
    int count = 1;
    if (!page.isLeaf()) {
      for (int i = 0; i < page.getRawChildPageCount(); i++) {
        if (page.getChildPagePos(i) == 0) {
          count += unsaved(page.getChildPage(i));
        }
      }
    }
    return count;
  }

  private static Map<Integer, String> objectNames(org.h2.engine.Database h2) {
    Map<Integer, String> names = new HashMap<>();
    for (Schema schema : h2.getAllSchemas()) {
      for (SchemaObject o : schema.getAll(new java.util.ArrayList<>())) {
        names.put(o.getId(), o.getName().toLowerCase());
      }
    }
    return names;
  }

  private static String label(String mapName, Map<Integer, String> names) {
    int dot = mapName.indexOf('.');
    if (dot > 0 && (mapName.startsWith("table.") || mapName.startsWith("index."))) {
      try {
        String name = names.get(Integer.parseInt(mapName.substring(dot + 1)));
        if (name != null) {
          return mapName.substring(0, dot) + " " + name;
        }
      } catch (NumberFormatException e) {
        // not an object id
      }
    }
    return mapName.replaceAll("\\d+$", "N");
  }

  String report() {
    long n = Math.max(1, commits.get());
    double total = pages.values().stream().mapToLong(AtomicLong::get).sum() / (double) n;
    return String.format("  unsaved pages per commit (%d commits): %.1f in all%n", n, total)
        + pages.entrySet().stream()
            .sorted((a, b) -> Long.compare(b.getValue().get(), a.getValue().get()))
            .map(e -> String.format("    %5.1f  %s", e.getValue().get() / (double) n, e.getKey()))
            .collect(Collectors.joining("\n"));
  }
}
