package org.llmgateway.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.llmgateway.testing.MutableClock;

class FailoverTest {
  @ParameterizedTest(name = "HTTP {0} with body [{1}] -> {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "200 | | SUCCESS",
        "201 | | SUCCESS",
        "401 | {\"error\":{\"message\":\"bad key\"}} | NEXT_KEY",
        "402 | | NEXT_KEY",
        "403 | | NEXT_KEY",
        "429 | {\"error\":{\"type\":\"rate_limit\"}} | NEXT_KEY",
        "400 | {\"error\":{\"code\":\"insufficient_quota\"}} | NEXT_KEY",
        "400 | {\"error\":{\"message\":\"API key not valid. Please pass a valid API key.\"}} | NEXT_KEY",
        "404 | {\"error\":{\"code\":\"invalid_api_key\"}} | NEXT_KEY",
        "400 | {\"error\":{\"message\":\"Your credit balance is too low; check billing\"}} | NEXT_KEY",
        "400 | {\"error\":{\"message\":\"Quota exceeded for this project\"}} | NEXT_KEY",
        "400 | {\"error\":{\"code\":\"context_length_exceeded\",\"message\":\"maximum context length; quota exceeded\"}} | RELAY",
        "400 | {\"error\":{\"message\":\"messages: field required\"}} | RELAY",
        "404 | {\"error\":{\"message\":\"The model `gpt-9` does not exist\"}} | RELAY",
        "422 | {\"error\":\"unprocessable\"} | RELAY",
        "413 | | RELAY",
        "408 | | NEXT_PROVIDER",
        "409 | | NEXT_PROVIDER",
        "425 | | NEXT_PROVIDER",
        "500 | | NEXT_PROVIDER",
        "502 | | NEXT_PROVIDER",
        "503 | {\"error\":{\"code\":\"insufficient_quota\"}} | NEXT_PROVIDER",
        "504 | | NEXT_PROVIDER",
        "529 | {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}} | NEXT_PROVIDER",
        "401 | {\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"invalid x-api-key\"}} | NEXT_KEY",
        "429 | {\"error\":{\"code\":429,\"message\":\"Resource has been exhausted\",\"status\":\"RESOURCE_EXHAUSTED\"}} | NEXT_KEY",
        "400 | {\"error\":{\"code\":400,\"message\":\"quota\",\"status\":\"RESOURCE_EXHAUSTED\"}} | NEXT_KEY",
        "400 | {\"error\":{\"code\":400,\"message\":\"API key expired.\",\"status\":\"INVALID_ARGUMENT\",\"details\":[{\"reason\":\"API_KEY_INVALID\"}]}} | NEXT_KEY",
        "400 | {\"error\":{\"code\":400,\"message\":\"Invalid JSON payload\",\"status\":\"INVALID_ARGUMENT\"}} | RELAY",
        "400 | {\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"Your credit balance is too low to access the Anthropic API\"}} | NEXT_KEY",
      })
  void classifiesUpstreamAnswers(int status, String body, Decision expected) {
    assertEquals(expected, Failover.decide(status, body == null ? "" : body));
  }

  @Test
  void networkFailuresGoToTheNextProvider() {
    assertEquals(Decision.NEXT_PROVIDER, Failover.decideNetworkFailure());
  }

  @ParameterizedTest(name = "HTTP {0}, Retry-After [{1}], default {2}s -> {3}s")
  @CsvSource(
      delimiter = '|',
      value = {
        "429 | 7 | 600 | 7",
        "429 | | 600 | 600",
        "401 | 7 | 600 | 600",
        "429 | Mon, 30 Nov 2026 12:00:30 GMT | 600 | 30",
        "429 | soon | 600 | 600",
        "429 | 7 | 0 | 0",
      })
  void cooldownHonoursRetryAfterOnlyOn429(int status, String retryAfter, long dflt, long expected) {
    MutableClock clock = new MutableClock(Instant.parse("2026-11-30T12:00:00Z"));
    assertEquals(
        Duration.ofSeconds(expected),
        Failover.cooldown(
            status, Optional.ofNullable(retryAfter), Duration.ofSeconds(dflt), clock));
  }
}
