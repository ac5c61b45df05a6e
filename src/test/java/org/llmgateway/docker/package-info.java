/**
 * Checks of the container files without a Docker engine, run by the normal test command: a small
 * Dockerfile linter in the spirit of hadolint (hadolint itself is packaged neither by Debian nor on
 * npm) plus the build-context filter, the compose file's shutdown and publishing rules, the paths
 * and user the READMEs promise, and the image's health check script run against a live gateway.
 */
package org.llmgateway.docker;
