/**
 * Configuration: YAML files in the original llm-gateway-lite format, read once into immutable,
 * validated records. {@link org.llmgateway.config.ConfigLoader} finds the files, follows {@code
 * include:} lists, merges them and reports every problem at once with its file and YAML path. No
 * HTTP and no runtime state live here. Imports none of our packages.
 */
package org.llmgateway.config;
