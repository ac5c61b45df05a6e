/**
 * Scale-out: the state replicas share through Redis when {@code GATEWAY_REDIS_URL} is set. {@link
 * org.llmgateway.fleet.RedisLink} is the one connection, with short timeouts and a fall back to
 * local state; {@link org.llmgateway.fleet.Fleet} shares key cooldowns, resets, breaker evidence
 * and openings, and each replica's stats, without a Redis round trip on the request path; {@link
 * org.llmgateway.fleet.SharedRateLimits} enforces gateway keys' rate limits across the fleet with
 * one Lua script per request. May import config, routing, observe and limit.
 */
package org.llmgateway.fleet;
