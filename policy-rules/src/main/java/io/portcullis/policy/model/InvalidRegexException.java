package io.portcullis.policy.model;

/** A policy regular expression that can not be used; the message says why, without the regex. */
public final class InvalidRegexException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidRegexException(String reason) {
        super(reason);
    }
}
