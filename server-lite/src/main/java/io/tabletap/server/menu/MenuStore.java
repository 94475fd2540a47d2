package io.tabletap.server.menu;

import io.tabletap.server.domain.Menu;

public interface MenuStore {
  /** The cafe's menu; empty (no categories) when it has none. */
  Menu menu(String cafeId);

  /** Replaces the whole menu of a cafe in one transaction. */
  void replace(Menu menu);
}
