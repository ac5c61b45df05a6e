/**
 * Observability: the per-request {@link org.llmgateway.observe.Exchange} record, the four logs
 * (access, app, error, upstream) through asynchronous Log4j2 loggers, Prometheus metrics and the
 * in-memory stats behind the admin API. Nothing here blocks a request thread. May import config and
 * routing.
 */
package org.llmgateway.observe;
