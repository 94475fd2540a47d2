package io.tabletap.server.menu;

import io.tabletap.server.domain.Cafe;
import java.util.Optional;

public interface CafeStore {
  Optional<Cafe> find(String cafeId);

  void insert(Cafe cafe);
}
