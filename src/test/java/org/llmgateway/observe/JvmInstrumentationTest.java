package org.llmgateway.observe;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.llmgateway.testing.Await;

/**
 * The JVM metrics without the Prometheus client's never-removed GC listeners: the allocation
 * counter still counts.
 */
class JvmInstrumentationTest {
  @Test
  void theAllocationCounterCountsAfterAGcAndTheOtherJvmMetricsAreThere() {
    PrometheusRegistry registry = new PrometheusRegistry();
    try (JvmInstrumentation jvm = JvmInstrumentation.register(registry)) {
      List<String> names =
          registry.scrape().stream().map(s -> s.getMetadata().getPrometheusName()).toList();
      for (String expected :
          List.of(
              "jvm_threads_current",
              "jvm_memory_used_bytes",
              "jvm_gc_collection_seconds",
              "jvm_classes_currently_loaded",
              "jvm_runtime",
              "process_cpu_seconds",
              "jvm_memory_pool_allocated_bytes")) {
        assertTrue(names.contains(expected), expected + " in " + names);
      }
      byte[][] garbage = new byte[64][];
      Await.until(
          Duration.ofSeconds(20),
          "a GC notification counted allocated bytes",
          () -> {
            for (int i = 0; i < garbage.length; i++) {
              garbage[i] = new byte[64 * 1024];
            }
            System.gc();
            return allocatedBytes(registry) > 0;
          });
    }
  }

  private static double allocatedBytes(PrometheusRegistry registry) {
    double total = 0;
    for (MetricSnapshot s : registry.scrape()) {
      if (s instanceof CounterSnapshot c
          && c.getMetadata().getPrometheusName().equals("jvm_memory_pool_allocated_bytes")) {
        total +=
            c.getDataPoints().stream()
                .mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue)
                .sum();
      }
    }
    return total;
  }
}
