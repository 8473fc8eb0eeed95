/**
 * {@code bin/portcullis}: the picocli command line. {@code agent} and {@code demo} run in this
 * process (the demo's gRPC and Kafka workloads as JVMs of their own inside endpoints, from the
 * classpath in {@code -Dportcullis.workloads}); {@code policy validate|explain} and
 * {@code uninstall} work from files and the kernel without an agent; every other command is one
 * call to the running agent's API over its unix socket ({@link io.portcullis.cli.ApiCommand}),
 * printed as text or, with {@code -o json}, as the API's JSON. Exit codes: 0 done, 1 refused or
 * failed (with the reason on stderr), 2 usage.
 */
package io.portcullis.cli;
