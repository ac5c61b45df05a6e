/**
 * JMH microbenchmarks of the request hot paths, built only by the Maven profile {@code jmh}: {@link
 * org.llmgateway.jmh.BodyRewriteBench} (parse and model rewrite of small and ~1 MiB bodies, against
 * a Jackson tree round trip), {@link org.llmgateway.jmh.PlanBench} (routing and the plan of
 * attempts) and {@code org.llmgateway.relay.SseRelayBench} (the SSE relay loop; in the relay
 * package to reach the package-private {@code StreamRelay}). Run with {@code java -jar
 * target/benchmarks.jar -prof gc}; see {@code src/bench/README.md}.
 */
package org.llmgateway.jmh;
