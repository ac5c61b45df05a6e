package org.llmgateway.config;

import java.util.Optional;

/**
 * An HTTP proxy that upstream connections go through: HTTPS is tunnelled with {@code CONNECT},
 * plain HTTP is forwarded. {@code authorization} is the ready {@code Proxy-Authorization} value
 * (Basic) when credentials were given.
 *
 * @param source where it came from, for the admin view: {@code proxy} (the provider's setting) or
 *     the variable name
 */
public record EgressProxy(
    String host,
    int port,
    String source,
    Optional<String> username,
    Optional<Secret> authorization) {

  /** {@code host:port} without credentials, safe to show. */
  public String address() {
    return host + ":" + port;
  }

  @Override
  public String toString() {
    return "EgressProxy["
        + address()
        + " from "
        + source
        + username.map(u -> ", user " + u).orElse("")
        + "]";
  }
}
