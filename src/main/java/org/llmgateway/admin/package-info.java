/**
 * The admin API under {@code /admin}, behind {@code GATEWAY_ADMIN_TOKEN} (absent: every admin path
 * is 404): the redacted catalog of the active configuration, request statistics, provider key
 * states with cooldown reset, the requests in flight, the config center's routes; and the operator
 * console (pages and assets from the classpath's {@code /console/}, login sessions with CSRF
 * tokens). Views show ids and names only, never a key value, a gateway key or a secret-looking
 * header value. May import every package up to http, and configcenter; not the entry points.
 */
package org.llmgateway.admin;
