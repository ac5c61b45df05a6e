package org.llmgateway.translate;

import org.llmgateway.config.Dialect;
import org.llmgateway.error.ErrorKind;
import org.llmgateway.error.GatewayException;

/**
 * A 400 for a request field the provider's dialect cannot express: named, never silently dropped.
 */
final class Untranslatable {
  private Untranslatable() {}

  static GatewayException field(String path, Dialect target) {
    return new GatewayException(
        ErrorKind.INVALID_REQUEST,
        "field "
            + path
            + " cannot be expressed in the "
            + target.displayName()
            + " of the selected provider",
        "unsupported_field");
  }

  static GatewayException field(String path, Dialect target, String why) {
    return new GatewayException(
        ErrorKind.INVALID_REQUEST,
        "field "
            + path
            + " cannot be expressed in the "
            + target.displayName()
            + " of the selected provider: "
            + why,
        "unsupported_field");
  }
}
