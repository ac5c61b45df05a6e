package org.llmgateway.relay;

import java.util.Optional;
import org.llmgateway.routing.Decision;

/** How one attempt ended, as the attempt loop sees it. */
sealed interface AttemptResult {
  /** The client got its answer (success, or a request-level 4xx relayed): the request is done. */
  record Answered() implements AttemptResult {}

  /**
   * The attempt failed before anything reached the client.
   *
   * @param decision what the plan does next ({@link Decision#NEXT_KEY} or {@link
   *     Decision#NEXT_PROVIDER})
   * @param reason why, for the 502 list ("provider: reason")
   * @param answer the upstream's HTTP error answer, empty for a network-level failure
   * @param deadlinePassed the request's own deadline ran out: no further attempt
   */
  record Failed(
      Decision decision, String reason, Optional<ErrorAnswer> answer, boolean deadlinePassed)
      implements AttemptResult {}

  /**
   * The upstream's stream has its first event and the attempt is reported: nothing is sent yet, but
   * no other attempt will be made. The stream is relayed after the attempt loop has returned, so
   * that a stream open for minutes keeps neither the loop's frames nor the request body alive.
   */
  record Streaming(StreamRelay stream) implements AttemptResult {}

  AttemptResult ANSWERED = new Answered();
}
