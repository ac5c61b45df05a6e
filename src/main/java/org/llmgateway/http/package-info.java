/**
 * The HTTP edge: embedded Jetty assembly ({@link org.llmgateway.http.HttpServer}), the WAR entry
 * ({@link org.llmgateway.WebAppListener}), the one route table ({@link org.llmgateway.http.GatewayServlet}),
 * request ids, client auth with gateway keys, and the single error mapping ({@link org.llmgateway.error.ErrorKind},
 * {@link org.llmgateway.error.ErrorWriter}). Handlers are thin: parse, call the relay or a view, done.
 */
package org.llmgateway.http;
