/**
 * The agent's configuration: immutable records and their strict loader. Every value is checked
 * when loaded; a mistake is reported as a {@link io.portcullis.config.yaml.ConfigException} naming
 * the file, the line and the field, and nothing is started with a half-understood config. The
 * proxy's limits ({@link io.portcullis.config.HttpLimits}, {@link io.portcullis.config.Http2Limits})
 * are built by name, with their defaults written once, in their builders.
 */
package io.portcullis.config;
