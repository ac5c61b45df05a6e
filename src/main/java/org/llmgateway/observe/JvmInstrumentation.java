package org.llmgateway.observe;

import com.sun.management.GarbageCollectionNotificationInfo;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.instrumentation.jvm.JvmBufferPoolMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmClassLoadingMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmCompilationMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmGarbageCollectorMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmNativeMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmRuntimeInfoMetric;
import io.prometheus.metrics.instrumentation.jvm.JvmThreadsMetrics;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The Prometheus client's JVM metrics (the set {@code JvmMetrics} registers), registered so that
 * {@link #close()} can take back everything that outlives the registry. {@code JvmMetrics} itself
 * keeps every registry in a static set and adds GC notification listeners to the platform's {@link
 * GarbageCollectorMXBean}s that are never removed: in a servlet container that pins the undeployed
 * web application's class loader and its whole heap. Here the allocation counter {@code
 * jvm_memory_pool_allocated_bytes_total} is fed by our own listener, which {@link #close()}
 * removes; the other collectors only read MXBeans at scrape time and die with the registry.
 */
final class JvmInstrumentation implements AutoCloseable {
  private static final String ALLOCATED = "jvm_memory_pool_allocated_bytes_total";

  private final List<NotificationEmitter> emitters = new ArrayList<>();
  private final AllocationCounter listener;

  private JvmInstrumentation(AllocationCounter listener) {
    this.listener = listener;
  }

  /**
   * Registers the JVM metrics in {@code registry}; close the result when the registry is discarded.
   */
  static JvmInstrumentation register(PrometheusRegistry registry) {
    JvmThreadsMetrics.builder().register(registry);
    JvmBufferPoolMetrics.builder().register(registry);
    JvmClassLoadingMetrics.builder().register(registry);
    JvmCompilationMetrics.builder().register(registry);
    JvmGarbageCollectorMetrics.builder().register(registry);
    JvmMemoryMetrics.builder().register(registry);
    JvmNativeMemoryMetrics.builder().register(registry);
    JvmRuntimeInfoMetric.builder().register(registry);
    ProcessMetrics.builder().register(registry);
    Counter allocated =
        Counter.builder()
            .name(ALLOCATED)
            .help(
                "Total bytes allocated in a given JVM memory pool. Only updated after GC, not continuously.")
            .labelNames("pool")
            .withoutExemplars()
            .register(registry);
    JvmInstrumentation jvm = new JvmInstrumentation(new AllocationCounter(allocated));
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(jvm.listener, null, null);
        jvm.emitters.add(emitter);
      }
    }
    return jvm;
  }

  /** Removes the GC listeners from the platform MXBeans. Idempotent. */
  @Override
  public synchronized void close() {
    for (NotificationEmitter emitter : emitters) {
      try {
        emitter.removeNotificationListener(listener);
      } catch (ListenerNotFoundException alreadyGone) {
        // nothing left to remove
      }
    }
    emitters.clear();
  }

  /**
   * Counts the bytes allocated in each pool from GC notifications: what the pool grew since the
   * last collection ended, plus any growth during this one (the same arithmetic as the Prometheus
   * client's own listener).
   */
  private static final class AllocationCounter implements NotificationListener {
    private final Counter counter;
    private final Map<String, Long> usedAfterLastGc = new HashMap<>();

    AllocationCounter(Counter counter) {
      this.counter = counter;
    }

    @Override
    public synchronized void handleNotification(Notification notification, Object handback) {
      if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
          notification.getType())) {
        return;
      }
      var info =
          GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData())
              .getGcInfo();
      Map<String, MemoryUsage> after = info.getMemoryUsageAfterGc();
      for (Map.Entry<String, MemoryUsage> entry : info.getMemoryUsageBeforeGc().entrySet()) {
        MemoryUsage afterUsage = after.get(entry.getKey());
        if (afterUsage != null) {
          count(entry.getKey(), entry.getValue().getUsed(), afterUsage.getUsed());
        }
      }
    }

    private void count(String pool, long before, long after) {
      Long last = usedAfterLastGc.put(pool, after);
      long grownSinceLastGc = Math.max(0, before - (last == null ? 0 : last));
      long grownDuringGc = Math.max(0, after - before);
      long allocated = grownSinceLastGc + grownDuringGc;
      if (allocated > 0) {
        counter.labelValues(pool).inc(allocated);
      }
    }
  }
}
