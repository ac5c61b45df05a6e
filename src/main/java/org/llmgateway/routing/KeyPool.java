package org.llmgateway.routing;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.llmgateway.config.ProviderKey;

/**
 * Round-robin key rotation and key cooldowns, keyed by provider name and key id so that a reload
 * keeps them. Lock-free: one atomic cursor per provider, one {@link KeyState} per key.
 */
public final class KeyPool {
  private final Clock clock;
  private final Map<String, AtomicInteger> cursors = new ConcurrentHashMap<>();

  /** provider -> key id -> state: two lookups, no key string built on the request path. */
  private final Map<String, Map<String, KeyState>> states = new ConcurrentHashMap<>();

  private volatile StateEvents events = StateEvents.NONE;

  public KeyPool(Clock clock) {
    this.clock = clock;
  }

  /** Tells {@code listener} of every local cooldown and reset from now on (the fleet's sharing). */
  public void listen(StateEvents listener) {
    this.events = listener;
  }

  /** The next key of {@code provider} in rotation that is neither cooling nor in {@code tried}. */
  public Optional<ProviderKey> pick(String provider, List<ProviderKey> keys, Set<String> tried) {
    int n = keys.size();
    int start =
        Math.floorMod(
            cursors.computeIfAbsent(provider, p -> new AtomicInteger()).getAndIncrement(), n);
    long now = clock.millis();
    for (int i = 0; i < n; i++) {
      ProviderKey key = keys.get((start + i) % n);
      if (!tried.contains(key.id()) && !state(provider, key.id()).coolingAt(now)) {
        return Optional.of(key);
      }
    }
    return Optional.empty();
  }

  /** Whether every key of {@code provider} is cooling now. */
  public boolean allCooling(String provider, List<ProviderKey> keys) {
    long now = clock.millis();
    return keys.stream().allMatch(k -> state(provider, k.id()).coolingAt(now));
  }

  /**
   * When the first cooling key of {@code provider} comes back (epoch millis); {@link
   * Long#MAX_VALUE} if none cools.
   */
  public long coolingEndsMillis(String provider, List<ProviderKey> keys) {
    long now = clock.millis();
    long earliest = Long.MAX_VALUE;
    for (ProviderKey k : keys) {
      long until = state(provider, k.id()).coolingUntil();
      if (until > now) {
        earliest = Math.min(earliest, until);
      }
    }
    return earliest;
  }

  public void succeeded(String provider, String keyId) {
    state(provider, keyId).successes.increment();
  }

  /**
   * Records a failure of the key; with a positive {@code cooldown} the key is skipped until it
   * ends.
   */
  public void failed(String provider, String keyId, String error, Duration cooldown) {
    KeyState s = state(provider, keyId);
    long now = clock.millis();
    s.failed(error, now);
    if (!cooldown.isZero() && !cooldown.isNegative()) {
      long until = now + cooldown.toMillis();
      s.coolDown(now, until, error);
      events.keyCooled(provider, keyId, now, until, error);
    }
  }

  /** Ends a cooldown at once (admin), here and, through the listener, on every replica. */
  public boolean reset(String provider, String keyId) {
    long now = clock.millis();
    events.keyReset(provider, keyId, now);
    Optional<KeyState> s = existing(provider, keyId);
    s.ifPresent(k -> k.reset(now));
    return s.isPresent();
  }

  /**
   * Applies a cooldown another replica made at {@code atMillis}: the key is skipped here until
   * {@code untilMillis} too, unless a reset known here is newer. An earlier end than the one known
   * here changes nothing; it is not counted as a cooldown of this replica and not announced again.
   */
  public void cooledElsewhere(
      String provider, String keyId, long atMillis, long untilMillis, String reason) {
    if (untilMillis > clock.millis()) {
      state(provider, keyId).coolDownElsewhere(atMillis, untilMillis, reason);
    }
  }

  /**
   * Applies a reset another replica made at {@code atMillis}; a cooldown that began here after it
   * stands.
   */
  public void resetElsewhere(String provider, String keyId, long atMillis) {
    existing(provider, keyId).ifPresent(k -> k.resetElsewhere(atMillis));
  }

  /** A key's state if it has any (a reset creates none). */
  private Optional<KeyState> existing(String provider, String keyId) {
    Map<String, KeyState> keys = states.get(provider);
    return Optional.ofNullable(keys == null ? null : keys.get(keyId));
  }

  public KeyState.View view(String provider, String keyId) {
    return state(provider, keyId).view(clock.millis());
  }

  /** A key's state with its provider and id, for the admin API and the stats snapshot. */
  public record Entry(String provider, String keyId, KeyState.View view) {}

  /** Every key that has state (was picked, failed or restored), sorted by provider and key id. */
  public List<Entry> entries() {
    long now = clock.millis();
    ArrayList<Entry> out = new ArrayList<>();
    states.forEach(
        (provider, keys) ->
            keys.forEach((keyId, state) -> out.add(new Entry(provider, keyId, state.view(now)))));
    out.sort(Comparator.comparing(Entry::provider).thenComparing(Entry::keyId));
    return out;
  }

  /** Restores one key's persisted state. */
  public void restore(
      String provider,
      String keyId,
      long coolingUntil,
      String reason,
      long successes,
      long failures,
      long cooldowns) {
    state(provider, keyId).restore(coolingUntil, reason, successes, failures, cooldowns);
  }

  public Clock clock() {
    return clock;
  }

  private KeyState state(String provider, String keyId) {
    Map<String, KeyState> keys = states.get(provider);
    if (keys == null) {
      keys = states.computeIfAbsent(provider, p -> new ConcurrentHashMap<>());
    }
    KeyState s = keys.get(keyId);
    return s != null ? s : keys.computeIfAbsent(keyId, k -> new KeyState());
  }
}
