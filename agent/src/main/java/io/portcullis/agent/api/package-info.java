/**
 * The agent's local API: HTTP/1.1 and JSON on a unix socket (mode 0600), used by the CLI. Every
 * call but {@code /v1/observe} (and {@code /v1/monitor}) is one request and one JSON answer on its
 * own connection; errors are {@code {"error": "..."}} with a 4xx/5xx status. {@code /v1/observe}
 * streams flow records as JSON lines: the history asked for, then, when followed, live ones until
 * the client goes away.
 */
package io.portcullis.agent.api;
