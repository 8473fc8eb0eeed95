/**
 * The view of an HTTP request that L7 rules read ({@link io.portcullis.policy.http.HttpRequestView}),
 * implemented by the proxy over its parsed requests, and a plain-value implementation for
 * explanations and tests.
 */
package io.portcullis.policy.http;
