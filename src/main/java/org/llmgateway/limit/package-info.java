/**
 * Per gateway key rate limits ({@code rpm}, {@code tpm} in gateway_keys.yaml): the {@link
 * org.llmgateway.limit.RateLimits} contract, its decisions and their OpenAI-style headers, and the
 * in-memory implementation ({@link org.llmgateway.limit.LocalRateLimits}, GCRA per key, with an
 * injected clock). The Redis-backed implementation shared by a fleet lives in {@code fleet}.
 * Imports only config.
 */
package org.llmgateway.limit;
