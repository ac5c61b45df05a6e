package org.llmgateway.translate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * One request's translation between the client's dialect and the provider's: created per attempt
 * (it may remember what the request said, such as tool names or whether usage was asked for), used
 * on one thread.
 */
interface Translation {
  /**
   * The client's body as the provider's; throws a 400 {@code GatewayException} for a field it
   * cannot express.
   */
  ObjectNode request(ObjectNode clientBody);

  /**
   * Fills what the provider requires and the client left out, after the provider's request_defaults
   * were added.
   */
  default void complete(ObjectNode providerBody) {}

  /** The provider's successful non-stream answer as the client's. */
  ObjectNode response(ObjectNode providerBody) throws IOException;

  /** A fresh translator for the provider's event stream. */
  StreamTranslator stream();

  /**
   * This translation (client side), then {@code inner} towards the provider: A->B composed with
   * B->C is A->C.
   */
  default Translation then(Translation inner) {
    Translation outer = this;
    return new Translation() {
      @Override
      public ObjectNode request(ObjectNode clientBody) {
        ObjectNode middle = outer.request(clientBody);
        outer.complete(middle);
        return inner.request(middle);
      }

      @Override
      public void complete(ObjectNode providerBody) {
        inner.complete(providerBody);
      }

      @Override
      public ObjectNode response(ObjectNode providerBody) throws IOException {
        return outer.response(inner.response(providerBody));
      }

      @Override
      public StreamTranslator stream() {
        return inner.stream().then(outer.stream());
      }
    };
  }
}
