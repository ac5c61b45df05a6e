/**
 * Entry points and assembly: {@link org.llmgateway.Main} (embedded Jetty, {@code --check-config}),
 * {@link org.llmgateway.core.Settings} (environment, read once) and {@link org.llmgateway.core.Gateway}, which owns the active
 * configuration snapshot and the runtime state that outlives reloads.
 */
package org.llmgateway;
