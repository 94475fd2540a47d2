package io.tabletap.server.realtime;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import io.tabletap.server.device.AccessDeniedException;
import io.tabletap.server.device.Device;
import io.tabletap.server.device.Role;
import io.tabletap.server.domain.FieldError;
import io.tabletap.server.domain.Order;
import io.tabletap.server.domain.OrderRequest;
import io.tabletap.server.domain.OrderStatus;
import io.tabletap.server.domain.OrderType;
import io.tabletap.server.domain.PaymentMethod;
import io.tabletap.server.domain.Refund;
import io.tabletap.server.domain.ValidationException;
import io.tabletap.server.errors.ErrorMapper;
import io.tabletap.server.json.Json;
import io.tabletap.server.order.OrderService;
import io.tabletap.server.payment.PaymentService;
import io.tabletap.server.payment.RefundService;
import io.tabletap.server.payment.StartPayment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The socket commands (docs/protocol.md, "Commands"), through the same services as the HTTP API
 * and refused with the same error codes ({@link ErrorMapper}).
 *
 * <p>Idempotent per device and command id: the first result is stored (after the command's effect
 * committed) and any repeat, also after a restart, returns it and does nothing. Two copies of one
 * command at once run one after the other. Results of failures worth retrying (a provider that did
 * not answer: 502, or our own 500) are not stored, so a retry with the same id runs again; the
 * services' own idempotency keys (derived from the command id) keep that harmless.
 */
public final class CommandService implements Commands {
  private static final Set<Role> TILL = EnumSet.of(Role.ADMIN, Role.CASHIER);
  private static final Set<Role> MOVERS = EnumSet.of(Role.ADMIN, Role.CASHIER, Role.KITCHEN);
  /** The commands and who may send them (the services check finer rules, as over HTTP). */
  public static final Map<String, Set<Role>> NAMES = Map.of(
      "order.create", TILL,
      "order.cancel", TILL,
      "order.transition", MOVERS,
      "kitchen.start", MOVERS,
      "kitchen.bump", MOVERS,
      "kitchen.recall", MOVERS,
      "payment.start", TILL,
      "payment.cancel", TILL,
      "payment.refund", TILL);

  private final OrderService orders;
  private final PaymentService payments;
  private final RefundService refunds;
  private final CommandResultStore results;
  private final RoomHub hub;
  private final Clock clock;
  private final ErrorMapper errors = new ErrorMapper();
  private final Map<String, Object> running = new ConcurrentHashMap<>();

  public CommandService(OrderService orders, PaymentService payments, RefundService refunds, CommandResultStore results, RoomHub hub,
      Clock clock) {
    this.orders = orders;
    this.payments = payments;
    this.refunds = refunds;
    this.results = results;
    this.hub = hub;
    this.clock = clock;
  }

  @Override
  public Result run(Device device, String commandId, String name, JsonNode payload) {
    String key = device.id() + "/" + commandId;
    Object lock = running.computeIfAbsent(key, k -> new Object());
    try {
      synchronized (lock) {
        Optional<CommandResultStore.Stored> earlier = results.find(device.id(), commandId);
        if (earlier.isPresent()) {
          return new Result(earlier.get().ok(), parse(earlier.get().json()));
        }
        Outcome outcome = execute(device, commandId, name, payload);
        if (outcome.keep()) {
          results.save(device.id(), commandId, new CommandResultStore.Stored(name, outcome.result().ok(),
              Frames.json(outcome.result().body())), clock.instant());
        }
        return outcome.result();
      }
    } finally {
      running.remove(key, lock);
    }
  }

  private record Outcome(Result result, boolean keep) {}

  private Outcome execute(Device device, String commandId, String name, JsonNode payload) {
    try {
      Set<Role> roles = NAMES.get(name);
      if (roles == null) {
        return new Outcome(new Result(false, new Error("unknown_command", "No command '" + name + "'; see docs/protocol.md",
            Map.of("known", NAMES.keySet().stream().sorted().toList()))), true);
      }
      if (!roles.contains(device.role())) {
        throw new AccessDeniedException("A " + device.role() + " device may not send " + name);
      }
      return new Outcome(new Result(true, dispatch(device, "ws-" + device.id() + "-" + commandId, name, payload)), true);
    } catch (Exception e) {
      ErrorMapper.Mapped mapped = errors.map(e, UUID.randomUUID().toString(), "command " + name);
      Error error = new Error(mapped.body().error(), mapped.body().message(), mapped.body().details());
      return new Outcome(new Result(false, error), mapped.status() < 500);
    }
  }

  record CreateOrder(UUID id, OrderType type, String table, List<OrderRequest.LineRequest> lines) {}

  record OrderRef(UUID orderId) {}

  record Transition(UUID orderId, OrderStatus to) {}

  record StartPaymentBody(UUID orderId, PaymentMethod method, Long amount, Long tendered, String creditAccountId) {}

  record PaymentRef(UUID paymentId) {}

  record RefundBody(UUID paymentId, Long amount, String reason) {}

  public record PaymentResult(Views.PaymentView payment, String qrReference, String qrPaymentUrl, Instant qrExpiresAt, boolean created) {}

  public record RefundResult(UUID refundId, UUID paymentId, long amount, String currency, String status, String reason,
      String errorMessage) {}

  public record Recalled(UUID orderId, int orderNumber, String status, List<Views.Item> items) {}

  private Object dispatch(Device device, String idempotencyKey, String name, JsonNode payload) throws IOException {
    return switch (name) {
      case "order.create" -> {
        CreateOrder body = read(payload, CreateOrder.class);
        yield Views.order(orders.place(device.cafeId(), new OrderRequest(body.id(), body.type(), body.table(), body.lines()),
            idempotencyKey).order());
      }
      case "order.cancel" -> move(device, orderId(read(payload, OrderRef.class).orderId()), OrderStatus.CANCELLED);
      case "order.transition" -> {
        Transition body = read(payload, Transition.class);
        if (body.to() == null) {
          throw ValidationException.of("to", "status_required", "Say which status to move to: {\"to\":\"READY\"}");
        }
        yield move(device, orderId(body.orderId()), body.to());
      }
      case "kitchen.start" -> move(device, orderId(read(payload, OrderRef.class).orderId()), OrderStatus.IN_PREPARATION);
      case "kitchen.bump" -> move(device, orderId(read(payload, OrderRef.class).orderId()), OrderStatus.READY);
      case "kitchen.recall" -> recall(device, orderId(read(payload, OrderRef.class).orderId()));
      case "payment.start" -> {
        StartPaymentBody body = read(payload, StartPaymentBody.class);
        PaymentService.Started started = payments.start(device, orderId(body.orderId()),
            new StartPayment(body.method(), body.amount(), body.tendered(), body.creditAccountId()), idempotencyKey);
        yield new PaymentResult(Views.payment(started.payment()), started.qr().map(q -> q.qrCodeId()).orElse(null),
            started.qr().map(q -> q.paymentUrl()).orElse(null), started.qr().map(q -> q.expiresAt()).orElse(null), started.created());
      }
      case "payment.cancel" -> Views.payment(payments.cancel(device, paymentId(read(payload, PaymentRef.class).paymentId())));
      case "payment.refund" -> {
        RefundBody body = read(payload, RefundBody.class);
        Refund r = refunds.refund(device, paymentId(body.paymentId()), body.amount(), body.reason(), idempotencyKey);
        yield new RefundResult(r.id(), r.paymentId(), r.amount().minorUnits(), r.amount().currency().getCurrencyCode(),
            r.status().name(), r.reason(), r.errorMessage());
      }
      default -> throw new IllegalStateException(name);
    };
  }

  /** Moves an order; an order already in {@code target} is left alone and returned (a retry). */
  private Views.OrderView move(Device device, UUID orderId, OrderStatus target) {
    Order current = orders.get(device.cafeId(), orderId);
    if (current.status() == target) {
      return Views.order(current);
    }
    return Views.order(orders.transition(device, orderId, target));
  }

  /**
   * Brings a bumped order back onto the kitchen screens: the order's state machine has no way
   * back from READY, so this changes no order, it tells the kitchen room ({@code order_recalled}).
   */
  private Recalled recall(Device device, UUID orderId) {
    Order order = orders.get(device.cafeId(), orderId);
    if (order.status() != OrderStatus.READY && order.status() != OrderStatus.COMPLETED) {
      throw ValidationException.of("orderId", "not_recallable", "Only a READY or COMPLETED order can be recalled; this one is "
          + order.status());
    }
    Recalled recalled = new Recalled(order.id(), order.orderNumber(), order.status().name(), Views.items(order));
    hub.publish(List.of(new RoomEvent(new RoomKey(device.cafeId(), Room.kitchen(device.cafeId())), RealtimeEvents.ORDER_RECALLED,
        recalled, clock.instant())));
    return recalled;
  }

  private static <T> T read(JsonNode payload, Class<T> type) throws IOException {
    return Json.mapper().readerFor(type).readValue(payload);
  }

  private static UUID orderId(UUID id) {
    return required(id, "orderId");
  }

  private static UUID paymentId(UUID id) {
    return required(id, "paymentId");
  }

  private static UUID required(UUID id, String field) {
    if (id == null) {
      throw new ValidationException(List.of(new FieldError(field, field + "_required", "The payload needs \"" + field + "\"")));
    }
    return id;
  }

  private static JsonNode parse(String json) {
    try {
      return Json.mapper().readTree(json);
    } catch (JacksonException e) {
      throw new UncheckedIOException(e);
    }
  }
}
