package org.llmgateway.fleet;

import java.time.Duration;
import java.util.function.Consumer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/**
 * The subscriber thread of the fleet's channel: one dedicated connection, re-established after any
 * break. A subscription's reads wait at most {@link #READ_TIMEOUT_MILLIS}; {@link #ping()} (called
 * every second by the sync thread) keeps a healthy one from reaching it, so only a dead link does.
 */
final class FleetSubscription implements AutoCloseable {
  static final int READ_TIMEOUT_MILLIS = 3_000;
  static final Duration RESUBSCRIBE_DELAY = Duration.ofMillis(250);

  private static final Logger LOG = LogManager.getLogger(FleetSubscription.class);

  private final RedisLink link;
  private final String channel;
  private final Consumer<String> onMessage;
  private final Runnable onSubscribe;
  private final Thread thread;
  private volatile JedisPubSub subscription;
  private volatile boolean closed;

  /**
   * @param onMessage gets every message of the channel (on the subscriber thread)
   * @param onSubscribe runs on each (re)subscription: messages sent meanwhile were missed
   */
  FleetSubscription(
      RedisLink link, String channel, Consumer<String> onMessage, Runnable onSubscribe) {
    this.link = link;
    this.channel = channel;
    this.onMessage = onMessage;
    this.onSubscribe = onSubscribe;
    this.thread = Thread.ofPlatform().name("fleet-subscriber").daemon().unstarted(this::loop);
  }

  void start() {
    thread.start();
  }

  private void loop() {
    while (!closed) {
      try (Jedis connection = link.subscriberConnection(READ_TIMEOUT_MILLIS)) {
        JedisPubSub listener =
            new JedisPubSub() {
              @Override
              public void onSubscribe(String channel, int subscribedChannels) {
                onSubscribe.run();
              }

              @Override
              public void onMessage(String channel, String message) {
                FleetSubscription.this.onMessage.accept(message);
              }
            };
        subscription = listener;
        connection.subscribe(listener, channel);
      } catch (RuntimeException e) {
        if (!closed) {
          LOG.debug("fleet subscription ended: {}", e.toString());
        }
      }
      subscription = null;
      try {
        Thread.sleep(RESUBSCRIBE_DELAY);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Sends a PING on the subscription, so that its reads never wait long on a healthy link. */
  void ping() {
    JedisPubSub s = subscription;
    if (s != null && s.isSubscribed()) {
      try {
        s.ping();
      } catch (RuntimeException e) {
        // the subscriber thread sees the broken connection and reconnects
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    JedisPubSub s = subscription;
    if (s != null) {
      try {
        s.unsubscribe();
      } catch (RuntimeException e) {
        // its connection is already gone
      }
    }
    thread.interrupt();
    try {
      thread.join(Duration.ofSeconds(2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
