package org.llmgateway.fleet;

/**
 * A routing-state change one replica tells the others (JSON on the fleet's channel; the latest key
 * event per key is also kept in a hash, so a replica that starts or reconnects catches up).
 * Replicas order events of one key by {@code atMillis}: their clocks must agree (NTP) to well
 * within a cooldown.
 *
 * @param origin the replica that made the change; it ignores its own events
 * @param type {@link #COOLDOWN}, {@link #RESET} or {@link #CIRCUIT_OPEN}
 * @param untilMillis when the cooldown or open period ends (epoch millis)
 * @param atMillis when the change happened (epoch millis)
 * @param failureRatePercent the failure rate the circuit opened at; 0 for key events
 */
record FleetEvent(
    String origin,
    String type,
    String provider,
    String keyId,
    long untilMillis,
    long atMillis,
    String reason,
    int failureRatePercent) {
  /** Absent strings (an event written by hand or by another version) read as empty. */
  FleetEvent {
    keyId = keyId == null ? "" : keyId;
    reason = reason == null ? "" : reason;
  }

  static final String COOLDOWN = "cooldown";
  static final String RESET = "reset";
  static final String CIRCUIT_OPEN = "circuit_open";

  /** The cooldown hash's field of this event's key. */
  String keyField() {
    return provider + "\n" + keyId;
  }
}
