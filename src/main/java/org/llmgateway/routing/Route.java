package org.llmgateway.routing;

import org.llmgateway.config.Provider;

/** One provider in a plan, with the model name that provider knows the requested model by. */
public record Route(Provider provider, String upstreamModel) {}
