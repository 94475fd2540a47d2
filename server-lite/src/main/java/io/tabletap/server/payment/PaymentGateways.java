package io.tabletap.server.payment;

import io.tabletap.server.domain.PaymentMethod;
import java.util.EnumMap;
import java.util.Map;

/**
 * The seed's gateway factory: one gateway per payment method. The three Payconic methods share
 * the Payconic gateway. A method without a gateway is unsupported (422 at the API).
 */
public final class PaymentGateways {
  private final Map<PaymentMethod, PaymentGateway> byMethod;

  public PaymentGateways(Map<PaymentMethod, PaymentGateway> byMethod) {
    this.byMethod = byMethod.isEmpty() ? new EnumMap<>(PaymentMethod.class) : new EnumMap<>(byMethod);
  }

  /** The usual wiring: Payconic for its three methods, one gateway each for the rest (any may be null: off). */
  public static PaymentGateways of(PaymentGateway payconic, PaymentGateway qrBank, PaymentGateway credit, PaymentGateway cash) {
    Map<PaymentMethod, PaymentGateway> map = new EnumMap<>(PaymentMethod.class);
    for (PaymentMethod method : PaymentMethod.values()) {
      PaymentGateway gateway = switch (method) {
        case PAYCONIC_CARD, PAYCONIC_BANK_TRANSFER, PAYCONIC_DIGITAL_WALLET -> payconic;
        case QR_CODE_BANK_TRANSFER -> qrBank;
        case CUSTOMER_CREDIT -> credit;
        case CASH -> cash;
      };
      if (gateway != null) {
        map.put(method, gateway);
      }
    }
    return new PaymentGateways(map);
  }

  /** @throws UnsupportedPaymentMethodException if no gateway takes {@code method} */
  public PaymentGateway gatewayFor(PaymentMethod method) {
    PaymentGateway gateway = byMethod.get(method);
    if (gateway == null) {
      throw new UnsupportedPaymentMethodException(method);
    }
    return gateway;
  }

  public boolean supports(PaymentMethod method) {
    return byMethod.containsKey(method);
  }
}
