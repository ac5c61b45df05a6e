package org.llmgateway.limit;

/**
 * One limit's state after a decision: the limit per minute, what may still be used now, and the
 * time until the budget is full again ({@code resetNanos}), as OpenAI's {@code x-ratelimit-*}
 * headers report them.
 */
public record Quota(long limit, long remaining, long resetNanos) {}
