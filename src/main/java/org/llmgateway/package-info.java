/**
 * Entry points and assembly: {@link org.llmgateway.Main} (embedded Jetty, {@code --check-config}),
 * {@link org.llmgateway.Settings} (environment, read once) and {@link org.llmgateway.Gateway}, which owns the active
 * configuration snapshot and the runtime state that outlives reloads.
 */
package org.llmgateway;
