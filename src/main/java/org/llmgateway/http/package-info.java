/**
 * The HTTP edge: embedded Jetty assembly ({@link org.llmgateway.http.HttpServer}), the one route
 * table ({@link org.llmgateway.http.GatewayServlet}), request ids, client auth with gateway keys,
 * and the mapping of every failure to an error answer. Handlers are thin: parse, call the relay or
 * a view, done. May import every package below it (config to core); not admin or the entry points.
 */
package org.llmgateway.http;
