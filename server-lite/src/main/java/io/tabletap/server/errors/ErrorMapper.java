package io.tabletap.server.errors;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.tabletap.server.device.AccessDeniedException;
import io.tabletap.server.domain.FieldError;
import io.tabletap.server.domain.IllegalPaymentTransitionException;
import io.tabletap.server.domain.IllegalTransitionException;
import io.tabletap.server.domain.NotFoundException;
import io.tabletap.server.domain.ValidationException;
import io.tabletap.server.order.IdempotencyConflictException;
import io.tabletap.server.payment.PaymentRefusedException;
import io.tabletap.server.payment.UnsupportedPaymentMethodException;
import io.tabletap.server.webhook.WebhookRejectedException;
import io.tabletap.server.payment.credit.InsufficientCreditException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that turns an exception into an HTTP status and JSON error body. Anything it does
 * not know is a 500: logged with the correlation id, answered without a trace of the cause.
 */
public final class ErrorMapper {
  private static final Logger log = LoggerFactory.getLogger(ErrorMapper.class);

  public record Mapped(int status, ErrorBody body) {}

  public Mapped map(Throwable error, String correlationId, String requestLine) {
    if (error instanceof ApiException api) {
      return new Mapped(api.status(), new ErrorBody(api.code(), api.getMessage(), api.details(), null));
    }
    if (error instanceof ValidationException invalid) {
      return new Mapped(422, new ErrorBody("validation_failed", invalid.getMessage(), invalid.errors(), null));
    }
    if (error instanceof NotFoundException notFound) {
      return new Mapped(404, new ErrorBody("not_found", notFound.getMessage(), null, null));
    }
    if (error instanceof IllegalTransitionException illegal) {
      return new Mapped(409, new ErrorBody("illegal_transition", illegal.getMessage(),
          Map.of("from", illegal.from().name(), "to", illegal.to().name(),
              "allowed", illegal.from().next().stream().map(Enum::name).sorted().collect(Collectors.toList())), null));
    }
    if (error instanceof AccessDeniedException denied) {
      return new Mapped(403, new ErrorBody("forbidden", denied.getMessage(), null, null));
    }
    if (error instanceof IdempotencyConflictException conflict) {
      return conflict.byIdempotencyKey()
          ? new Mapped(422, new ErrorBody("idempotency_key_reused", conflict.getMessage(), null, null))
          : new Mapped(409, new ErrorBody("order_exists", conflict.getMessage(), null, null));
    }
    if (error instanceof PaymentRefusedException refused) {
      int status = switch (refused.kind()) {
        case INVALID -> 422;
        case CONFLICT -> 409;
        case UNAVAILABLE -> 502;
      };
      return new Mapped(status, new ErrorBody(refused.code(), refused.getMessage(), refused.details(), null));
    }
    if (error instanceof WebhookRejectedException rejected) {
      return rejected.reason().equals("malformed_body")
          ? new Mapped(400, new ErrorBody("malformed_webhook", rejected.getMessage(), null, null))
          : new Mapped(401, new ErrorBody("invalid_signature", rejected.getMessage(), Map.of("reason", rejected.reason()), null));
    }
    if (error instanceof UnsupportedPaymentMethodException unsupported) {
      return new Mapped(422, new ErrorBody("unsupported_payment_method", unsupported.getMessage(), null, null));
    }
    if (error instanceof IllegalPaymentTransitionException illegal) {
      return new Mapped(409, new ErrorBody("illegal_transition", illegal.getMessage(),
          Map.of("from", illegal.from().name(), "to", illegal.to().name()), null));
    }
    if (error instanceof InsufficientCreditException insufficient) {
      return new Mapped(422, new ErrorBody("insufficient_credit", insufficient.getMessage(), insufficientDetails(insufficient), null));
    }
    if (error instanceof ConflictException conflict) {
      return new Mapped(409, new ErrorBody(conflict.code(), conflict.getMessage(), conflict.details(), null));
    }
    if (error instanceof JacksonException json) {
      return mapJson(json);
    }
    log.error("[{}] {} failed", correlationId, requestLine, error);
    return new Mapped(500, new ErrorBody("internal_error",
        "Something went wrong on our side; quote " + correlationId + " when reporting it", null, correlationId));
  }

  /** The amounts in minor units, in a fixed order. */
  private static Map<String, Object> insufficientDetails(InsufficientCreditException e) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("balance", e.balance().minorUnits());
    details.put("overdraftLimit", e.overdraftLimit().minorUnits());
    details.put("available", e.available().minorUnits());
    details.put("requested", e.requested().minorUnits());
    details.put("currency", e.balance().currency().getCurrencyCode());
    return details;
  }

  /** Broken JSON is a 400; well-formed JSON of the wrong shape is a 422 naming the field. */
  private static Mapped mapJson(JacksonException json) {
    boolean trailing = json instanceof MismatchedInputException && json.getOriginalMessage() != null
        && json.getOriginalMessage().startsWith("Trailing token");
    if (trailing) {
      // Jackson's own message names our class and its feature flag: not for clients.
      return new Mapped(400, new ErrorBody("malformed_json", "The body is not valid JSON: more follows the JSON value", null, null));
    }
    StreamReadException broken = streamReadCause(json);
    if (broken != null) {
      return new Mapped(400, new ErrorBody("malformed_json", "The body is not valid JSON: " + firstLine(broken.getOriginalMessage()), null, null));
    }
    String field = json instanceof JsonMappingException mapping ? path(mapping.getPath()) : "";
    if (json instanceof UnrecognizedPropertyException unknown) {
      return new Mapped(422, new ErrorBody("validation_failed", "Unknown field '" + unknown.getPropertyName() + "'",
          List.of(new FieldError(field, "unknown_field", "Unknown field '" + unknown.getPropertyName() + "'")), null));
    }
    String message = field.isEmpty() ? "The body does not have the expected shape" : "Field '" + field + "' has the wrong type or value";
    return new Mapped(422, new ErrorBody("validation_failed", message,
        List.of(new FieldError(field.isEmpty() ? "body" : field, "invalid_value", message)), null));
  }

  /**
   * The syntax error behind {@code json}, if any. Jackson wraps a syntax error met inside a list or
   * a nested object in a mapping exception with a path, so looking at the top one is not enough.
   * A number too big for its field is well-formed JSON with a wrong value, not a syntax error.
   */
  private static StreamReadException streamReadCause(Throwable json) {
    for (Throwable t = json; t != null; t = t.getCause()) {
      if (t instanceof StreamReadException broken && !(t instanceof InputCoercionException)) {
        return broken;
      }
    }
    return null;
  }

  private static String path(List<JsonMappingException.Reference> references) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : references) {
      if (ref.getFieldName() != null) {
        path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
