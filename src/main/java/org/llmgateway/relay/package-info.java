/**
 * Relaying one client request: parse the body once ({@link org.llmgateway.relay.ClientBody}),
 * rewrite it per attempt by splicing bytes ({@link org.llmgateway.relay.BodyRewrite}), run the one
 * attempt loop for stream and non-stream ({@link org.llmgateway.relay.Relay}), commit late, and
 * copy the answer through (SSE flushed per event). May import config, error, routing, upstream and
 * observe.
 */
package org.llmgateway.relay;
