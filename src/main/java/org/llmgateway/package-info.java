/**
 * The entry points, and nothing else: {@link org.llmgateway.Main} (embedded Jetty, {@code
 * --check-config}), {@link org.llmgateway.WebAppListener} (the WAR) and {@link
 * org.llmgateway.Service}, the one start and stop sequence both share.
 *
 * <p>Packages, lowest first; each may import only the packages before it (ArchitectureTest checks
 * it, no cycles): {@code config}, {@code error}, {@code limit} (above config only), {@code
 * routing}, {@code upstream}, {@code translate} (above upstream) and {@code observe} (translate and
 * observe do not import each other), {@code relay}, {@code fleet} (above routing, observe and
 * limit; relay and fleet do not import each other), {@code core}, {@code http} and {@code
 * configcenter} (neither imports the other), {@code admin}; this package may import them all and
 * nothing imports it.
 */
package org.llmgateway;
