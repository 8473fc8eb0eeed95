/** Operator logging helpers on top of {@link java.lang.System.Logger}; no per-request noise. */
package io.portcullis.proxy.logging;
