package io.tabletap.server.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tabletap.server.json.Json;
import org.junit.jupiter.api.Test;

class FaultsTest {
  @Test
  void absentFieldsAreOffAndAnEmptyObjectClearsEverything() throws Exception {
    assertThat(Faults.fromJson(Json.mapper().readTree("{}"))).isEqualTo(Faults.none());
    assertThat(Faults.fromJson(Json.mapper().readTree("{\"failNext\":2,\"badSignature\":true}")))
        .isEqualTo(Faults.none().withFailNext(2).withBadSignature(true));
  }

  @Test
  void faultsSurviveARoundTripThroughJson() {
    Faults all = new Faults(10, 1, 2, 5000, true, true, true);

    assertThat(Faults.fromJson(all.toJson())).isEqualTo(all);
  }

  @Test
  void unknownFieldsAndBadValuesAreRefusedByName() throws Exception {
    assertThatThrownBy(() -> Faults.fromJson(Json.mapper().readTree("{\"latency\":5}"))).hasMessageContaining("latency");
    assertThatThrownBy(() -> Faults.fromJson(Json.mapper().readTree("{\"failNext\":\"2\"}"))).hasMessageContaining("failNext");
    assertThatThrownBy(() -> Faults.fromJson(Json.mapper().readTree("{\"outOfOrder\":1}"))).hasMessageContaining("outOfOrder");
    assertThatThrownBy(() -> Faults.fromJson(Json.mapper().readTree("[]"))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void failNextIsUsedUpOneCallAtATime() {
    FaultInjector injector = new FaultInjector(Faults.none().withFailNext(2).withTimeoutNext(1, 700));

    assertThat(injector.takeFailure()).isTrue();
    assertThat(injector.takeFailure()).isTrue();
    assertThat(injector.takeFailure()).isFalse();
    assertThat(injector.takeTimeoutHoldMs()).isEqualTo(700);
    assertThat(injector.takeTimeoutHoldMs()).isZero();
  }
}
