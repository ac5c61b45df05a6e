/**
 * End-to-end tests of the proxy core: the real gateway between a test client and fake upstreams,
 * over HTTP.
 */
package org.llmgateway.proxy;
