/**
 * YAML documents as trees of located nodes. Each node knows its source, line, column and dotted
 * path, so that the config and policy loaders can reject unknown keys and bad values with an
 * error an operator can act on. Duplicate keys and syntax errors are rejected here.
 */
package io.portcullis.config.yaml;
