package org.llmgateway.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.llmgateway.observe.Exchange;

class UsageTest {
  @Test
  void usageSplitAcrossTwoReadsIsStillFoundInTheKeptTail() {
    String body =
        "{\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":7,\"total_tokens\":19}}";
    byte[] all = body.getBytes(StandardCharsets.UTF_8);
    byte[] tail = new byte[1024];
    int n = Tail.keep(tail, 0, Arrays.copyOfRange(all, 0, 30), 30);
    n = Tail.keep(tail, n, Arrays.copyOfRange(all, 30, all.length), all.length - 30);
    Exchange e = new Exchange("r", 0, 0);
    Usage.scan(tail, 0, n, e);
    assertEquals(new Exchange.Tokens(12, 7, 19), e.tokens());
  }

  @Test
  void theTailKeepsOnlyTheLastBytes() {
    byte[] tail = new byte[4];
    int n = Tail.keep(tail, 0, "abc".getBytes(StandardCharsets.UTF_8), 3);
    n = Tail.keep(tail, n, "defg".getBytes(StandardCharsets.UTF_8), 2);
    assertEquals("bcde", new String(tail, 0, n, StandardCharsets.UTF_8));
  }

  @Test
  void responsesApiUsageNamesAreUnderstood() {
    byte[] b =
        "{\"usage\":{\"input_tokens\":3,\"output_tokens\":4,\"total_tokens\":7}}"
            .getBytes(StandardCharsets.UTF_8);
    Exchange e = new Exchange("r", 0, 0);
    Usage.scan(b, 0, b.length, e);
    assertEquals(new Exchange.Tokens(3, 4, 7), e.tokens());
  }
}
