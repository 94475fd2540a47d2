package io.tabletap.server.payment;

/**
 * A gateway's answer to a refund.
 *
 * @param completed true if the money is on its way back now; false if the gateway will confirm later
 *     (Payconic's {@code refund.succeeded} webhook)
 */
public record GatewayRefund(String refundId, boolean completed) {}
