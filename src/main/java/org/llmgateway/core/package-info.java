/**
 * The running gateway: {@link org.llmgateway.core.Settings} (read once), {@link
 * org.llmgateway.core.Gateway} (the active configuration snapshot behind one reference, the state
 * that outlives reloads, the relay) and the {@link org.llmgateway.core.ConfigWatcher} that reloads
 * it. May import config, error, routing, upstream, observe and relay; the HTTP edge and the admin
 * API sit above it.
 */
package org.llmgateway.core;
