package io.tabletap.server.http;

import io.tabletap.server.errors.ApiException;
import io.tabletap.server.device.Device;
import io.tabletap.server.device.DeviceService;
import io.tabletap.server.device.PairingCode;
import io.tabletap.server.device.PairingRefusedException;
import io.tabletap.server.device.PairingService;
import io.tabletap.server.device.Role;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * Devices: pairing codes ({@code POST /api/pairing-codes}), pairing ({@code POST /api/pair},
 * public), the list and revocation ({@code GET /api/devices}, {@code DELETE /api/devices/{id}}).
 */
public final class DeviceRoutes {
  private static final Set<Role> PAIRERS = EnumSet.of(Role.ADMIN, Role.CASHIER);
  private static final Set<Role> ADMIN = EnumSet.of(Role.ADMIN);

  /**
   * @param onRevoked called with a revoked device's id, after the revocation is committed (closes its sockets)
   * @param wsPort the WebSocket port, told to a newly paired device
   * @param publicUrl the configured {@code public.url}, or null: the pairing URL then names the
   *     host the asking device reached us by
   */
  public record Deps(DeviceService devices, PairingService pairing, Consumer<UUID> onRevoked, IntSupplier wsPort, String publicUrl) {}

  private final Deps deps;

  DeviceRoutes(Deps deps) {
    this.deps = deps;
  }

  List<Route> routes() {
    return List.of(
        new Route("POST", "/api/pairing-codes", PAIRERS, this::issue),
        new Route("POST", "/api/pair", Set.of(), this::pair),
        new Route("GET", "/api/devices", ADMIN, r -> Response.ok(deps.devices().list(r.device().cafeId()).stream()
            .map(DeviceRoutes::view).toList())),
        new Route("DELETE", "/api/devices/{id}", ADMIN, this::revoke));
  }

  record CodeView(String code, Instant expiresAt, String host, String url) {}

  record PairBody(String code, Role role, String name) {}

  record PairedView(UUID deviceId, String cafeId, Role role, String name, String token, int wsPort) {}

  record DeviceView(UUID id, String cafeId, String name, Role role, Instant createdAt, Instant revokedAt) {}

  private Response issue(Request request) {
    PairingCode code = deps.pairing().issue(request.device());
    String host = host(request);
    String url = "tabletap://pair?host=" + URLEncoder.encode(host, StandardCharsets.UTF_8) + "&code=" + code.code();
    return Response.of(201, new CodeView(code.code(), code.expiresAt(), host, url));
  }

  private String host(Request request) {
    if (deps.publicUrl() != null) {
      return URI.create(deps.publicUrl()).getRawAuthority();
    }
    return request.header("Host").filter(h -> h.matches("[A-Za-z0-9.\\-\\[\\]:%]{1,255}")).orElse("localhost");
  }

  private Response pair(Request request) throws Exception {
    PairBody body = request.bodyAs(PairBody.class);
    DeviceService.Issued issued;
    try {
      issued = deps.pairing().pair(body.code(), body.role(), body.name());
    } catch (PairingRefusedException e) {
      throw new ApiException(401, "invalid_pairing_code", e.getMessage());
    }
    Device d = issued.device();
    return Response.created(new PairedView(d.id(), d.cafeId(), d.role(), d.name(), issued.token(), deps.wsPort().getAsInt()),
        "/api/devices/" + d.id());
  }

  private Response revoke(Request request) {
    UUID id = Ids.uuid(request, "id", "device");
    deps.devices().revoke(request.device(), id);
    deps.onRevoked().accept(id);
    return Response.of(204, null);
  }

  private static DeviceView view(Device d) {
    return new DeviceView(d.id(), d.cafeId(), d.name(), d.role(), d.createdAt(), d.revokedAt());
  }
}
