/**
 * Loading policy YAML: {@link io.portcullis.policy.load.PolicyLoader} parses text, files and
 * directories into validated {@link io.portcullis.policy.model.Policy} values and reports every
 * problem as a {@link io.portcullis.config.yaml.ConfigException} naming
 * {@code file:line:col: field '...'}; {@link io.portcullis.policy.load.PolicyDirectory} keeps the
 * last good version of each file across reloads so a broken edit never weakens or drops policy.
 */
package io.portcullis.policy.load;
