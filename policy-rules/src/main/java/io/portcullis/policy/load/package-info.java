/**
 * Loading policy YAML: {@link io.portcullis.policy.load.PolicyLoader} parses text, files and
 * directories into validated {@link io.portcullis.policy.model.Policy} values and reports every
 * problem as a {@link io.portcullis.config.yaml.ConfigException} naming
 * {@code file:line:col: field '...'}, with Cilium's validation and reasons, and every warning
 * (what loads but does less than written, such as IPv6 prefixes) the same way. One parser per
 * part of the model (policy, selectors, peers, ports, L7 rules) sharing the file's findings;
 * {@code NamespaceScope} adds namespaces to selectors as Cilium does. Of the metadata's
 * annotations only {@code portcullis.io/audit} is read, strictly ({@code "true"} or
 * {@code "false"}).
 * {@link io.portcullis.policy.load.PolicyDirectory} keeps the last good version of each file
 * across reloads so a broken edit never weakens or drops policy.
 */
package io.portcullis.policy.load;
