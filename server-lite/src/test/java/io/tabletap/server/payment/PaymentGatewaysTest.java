package io.tabletap.server.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tabletap.server.domain.PaymentMethod;
import io.tabletap.server.errors.ErrorMapper;
import io.tabletap.server.payment.cash.CashGateway;
import org.junit.jupiter.api.Test;

class PaymentGatewaysTest {
  @Test
  void theThreePayconicMethodsShareOneGatewayAndEachOtherMethodHasItsOwn() {
    PaymentGateway payconic = new CashGateway();
    PaymentGateway qr = new CashGateway();
    PaymentGateway credit = new CashGateway();
    PaymentGateway cash = new CashGateway();
    PaymentGateways gateways = PaymentGateways.of(payconic, qr, credit, cash);
    assertThat(gateways.gatewayFor(PaymentMethod.PAYCONIC_CARD)).isSameAs(payconic);
    assertThat(gateways.gatewayFor(PaymentMethod.PAYCONIC_BANK_TRANSFER)).isSameAs(payconic);
    assertThat(gateways.gatewayFor(PaymentMethod.PAYCONIC_DIGITAL_WALLET)).isSameAs(payconic);
    assertThat(gateways.gatewayFor(PaymentMethod.QR_CODE_BANK_TRANSFER)).isSameAs(qr);
    assertThat(gateways.gatewayFor(PaymentMethod.CUSTOMER_CREDIT)).isSameAs(credit);
    assertThat(gateways.gatewayFor(PaymentMethod.CASH)).isSameAs(cash);
  }

  @Test
  void aMethodWithoutAGatewayIsAClear422() {
    PaymentGateways cashOnly = PaymentGateways.of(null, null, null, new CashGateway());
    assertThat(cashOnly.supports(PaymentMethod.PAYCONIC_CARD)).isFalse();
    assertThatThrownBy(() -> cashOnly.gatewayFor(PaymentMethod.PAYCONIC_CARD))
        .isInstanceOfSatisfying(UnsupportedPaymentMethodException.class, e -> {
          ErrorMapper.Mapped mapped = new ErrorMapper().map(e, "test", "POST /api/orders/x/payments");
          assertThat(mapped.status()).isEqualTo(422);
          assertThat(mapped.body().error()).isEqualTo("unsupported_payment_method");
          assertThat(mapped.body().message()).contains("PAYCONIC_CARD");
        });
  }
}
