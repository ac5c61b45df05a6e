package org.llmgateway.observe;

import java.net.URI;
import org.llmgateway.config.Provider;

/**
 * One upstream attempt, for the upstream log and metrics. Byte arrays are never written after the
 * record is made.
 *
 * @param status upstream HTTP status, 0 when none came back
 * @param requestBody the body sent, or {@code null} when body logging is off
 * @param errorBody the upstream body when it was not 2xx, or {@code null}
 */
public record AttemptRecord(
    String requestId,
    Provider provider,
    String keyId,
    int attempt,
    URI url,
    boolean stream,
    byte[] requestBody,
    int status,
    AttemptOutcome outcome,
    String error,
    long durationNanos,
    byte[] errorBody) {}
