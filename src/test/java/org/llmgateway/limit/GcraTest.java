package org.llmgateway.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The generic cell rate algorithm of one key, with the time given by hand (nanoseconds). */
class GcraTest {
  private static final long SECOND = 1_000_000_000L;
  private static final long START = 1_700_000_000L * SECOND;
  private static final OptionalLong NONE = OptionalLong.empty();

  private final Gcra cell = new Gcra();

  private RateDecision requests(long rpm, long now) {
    return cell.admit(OptionalLong.of(rpm), NONE, now);
  }

  private RateDecision tokens(long tpm, long now) {
    return cell.admit(NONE, OptionalLong.of(tpm), now);
  }

  @Test
  void rpmTenAdmitsExactlyTenAtOnceThenRefusesWithTheWaitForTheNextCell() {
    for (int i = 1; i <= 10; i++) {
      RateDecision d = requests(10, START);
      assertTrue(d.admitted(), "request " + i);
      assertEquals(new Quota(10, 10 - i, i * 6 * SECOND), d.requests().orElseThrow());
    }
    RateDecision refused = requests(10, START);
    assertEquals(Optional.of(LimitKind.REQUESTS), refused.refusedBy());
    assertEquals(6 * SECOND, refused.retryAfterNanos());
    assertEquals(new Quota(10, 0, 60 * SECOND), refused.requests().orElseThrow());
    assertEquals(Optional.empty(), refused.tokens());
  }

  @Test
  void aRefusedRequestUsesNothingAndOneCellComesBackEveryEmissionInterval() {
    for (int i = 0; i < 10; i++) {
      requests(10, START);
    }
    for (int i = 0; i < 5; i++) {
      assertFalse(requests(10, START + SECOND).admitted());
    }
    assertFalse(requests(10, START + 6 * SECOND - 1).admitted(), "1 ns before the boundary");
    assertEquals(1, requests(10, START + 6 * SECOND - 1).retryAfterNanos());
    assertTrue(requests(10, START + 6 * SECOND).admitted(), "exactly at the boundary");
    assertFalse(requests(10, START + 6 * SECOND).admitted());
    assertTrue(requests(10, START + 12 * SECOND).admitted());
  }

  @Test
  void anIdleKeyRefillsLinearlyUpToItsFullMinuteAndNoFurther() {
    for (int i = 0; i < 10; i++) {
      requests(10, START);
    }
    RateDecision half = requests(10, START + 30 * SECOND);
    assertTrue(half.admitted());
    assertEquals(new Quota(10, 4, 36 * SECOND), half.requests().orElseThrow());
    RateDecision rested = requests(10, START + 3600 * SECOND);
    assertEquals(new Quota(10, 9, 6 * SECOND), rested.requests().orElseThrow());
  }

  @Test
  void tokensAdmitWhileTheBudgetIsNotSpentAndAChargeMayRunIntoDebt() {
    assertEquals(new Quota(1000, 1000, 0), tokens(1000, START).tokens().orElseThrow());
    cell.charge(1000, 600, START);
    RateDecision second = tokens(1000, START);
    assertTrue(second.admitted(), "400 tokens left");
    assertEquals(new Quota(1000, 400, 36 * SECOND), second.tokens().orElseThrow());
    cell.charge(1000, 600, START);
    RateDecision refused = tokens(1000, START);
    assertEquals(Optional.of(LimitKind.TOKENS), refused.refusedBy());
    // 1,200 of 1,000 used: 200 tokens of debt drain in 12 s, one more token takes 60 ms
    assertEquals(12_060_000_000L, refused.retryAfterNanos());
    assertEquals(new Quota(1000, 0, 72 * SECOND), refused.tokens().orElseThrow());
    assertFalse(tokens(1000, START + 12 * SECOND).admitted(), "out of debt, but no token left");
    assertTrue(tokens(1000, START + 12_060_000_000L).admitted());
  }

  @Test
  void admittingChargesNoTokensOnlyChargeDoes() {
    for (int i = 0; i < 100; i++) {
      assertTrue(tokens(10, START).admitted());
    }
    cell.charge(10, 0, START);
    cell.charge(10, -3, START);
    assertEquals(10, tokens(10, START).tokens().orElseThrow().remaining());
  }

  @Test
  void withBothLimitsTheLongerWaitRefusesAndNeitherBudgetIsTouched() {
    OptionalLong rpm = OptionalLong.of(10);
    OptionalLong tpm = OptionalLong.of(100);
    cell.admit(rpm, tpm, START);
    cell.charge(100, 150, START); // 50 tokens of debt: 30 s + 0.6 s for one token
    RateDecision d = cell.admit(rpm, tpm, START);
    assertEquals(Optional.of(LimitKind.TOKENS), d.refusedBy());
    assertEquals(30_600_000_000L, d.retryAfterNanos());
    assertEquals(new Quota(10, 9, 6 * SECOND), d.requests().orElseThrow(), "not counted");
    assertEquals(new Quota(100, 0, 90 * SECOND), d.tokens().orElseThrow());
  }

  @Test
  void aChangedLimitKeepsTheRequestsAlreadyUsedAndAppliesAtOnce() {
    for (int i = 0; i < 10; i++) {
      requests(10, START);
    }
    for (int i = 0; i < 10; i++) {
      assertTrue(requests(20, START).admitted(), "raised to 20: ten more, request " + i);
    }
    assertFalse(requests(20, START).admitted());
    assertEquals(3 * SECOND, requests(20, START).retryAfterNanos());
    // lowered to 10 after 30 s: of 20 used, 10 came back at 3 s each: 10 in use, all of the new
    // limit
    RateDecision d = requests(10, START + 30 * SECOND);
    assertFalse(d.admitted());
    assertEquals(6 * SECOND, d.retryAfterNanos());
    assertEquals(new Quota(10, 0, 60 * SECOND), d.requests().orElseThrow());
  }

  @Test
  void emissionIntervalsOfUnevenLimitsStillGiveExactlyTheLimitAtOnce() {
    for (long rpm : new long[] {1, 7, 13, 997, 60_000, 1_000_000_000L}) {
      Gcra fresh = new Gcra();
      long admitted = 0;
      while (fresh.admit(OptionalLong.of(rpm), NONE, START).admitted() && admitted <= rpm) {
        admitted++;
        if (rpm > 100_000 && admitted == 100_000) {
          break; // the arithmetic is the same; stop before a billion iterations
        }
      }
      assertEquals(Math.min(rpm, 100_000), admitted, "rpm " + rpm);
    }
  }
}
