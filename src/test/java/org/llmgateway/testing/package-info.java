/**
 * Test fixtures: {@link org.llmgateway.testing.GatewayUnderTest} (the real embedded gateway on port
 * 0 from YAML fixtures) and {@link org.llmgateway.testing.FakeUpstream} (an in-process Jetty
 * upstream on port 0, scripted per test, recording what it received).
 */
package org.llmgateway.testing;
