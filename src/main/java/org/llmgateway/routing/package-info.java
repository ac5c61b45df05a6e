/**
 * Routing: which provider and key each attempt of a request uses, and what to do after it. Pure
 * logic with an injected {@link java.time.Clock} and no I/O: the {@link
 * org.llmgateway.routing.Snapshot} of a configuration, the {@link org.llmgateway.routing.Router}
 * that orders providers into a {@link org.llmgateway.routing.Plan}, the {@link
 * org.llmgateway.routing.KeyPool} (round-robin and cooldowns) and {@link
 * org.llmgateway.routing.Circuits} (per-provider breakers) that outlive reloads, and {@link
 * org.llmgateway.routing.Failover}, the one classifier of attempt outcomes. May import config only.
 */
package org.llmgateway.routing;
