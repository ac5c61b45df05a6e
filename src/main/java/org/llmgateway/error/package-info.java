/**
 * The error vocabulary, below everything that raises or writes errors: the closed set of {@link
 * org.llmgateway.error.ErrorKind}s mapped in one place to status, type, code and log level, the
 * {@link org.llmgateway.error.GatewayException} that carries one, and {@link
 * org.llmgateway.error.ErrorWriter}, the only writer of the error body. Imports none of our
 * packages.
 */
package org.llmgateway.error;
