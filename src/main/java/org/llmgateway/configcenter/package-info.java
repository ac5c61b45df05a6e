/**
 * The console's config center: editing {@code providers.yaml} and {@code models.yaml} of the config
 * directory with optimistic locking, masked inline secrets, validation of the whole directory
 * before a write, a version history with diff and restore. May import every package up to core; not
 * http or admin.
 */
package org.llmgateway.configcenter;
