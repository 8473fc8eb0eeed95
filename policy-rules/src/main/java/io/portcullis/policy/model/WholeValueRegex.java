package io.portcullis.policy.model;

import java.util.regex.Pattern;

/**
 * A policy regular expression that must match a whole value ({@code /public} does not match
 * {@code /publicity}). Compiled once at load; a regex without metacharacters is compared as a
 * plain string so the common {@code GET} or {@code /health} costs no matcher.
 */
public final class WholeValueRegex {
    private static final String METACHARACTERS = "\\^$.|?*+()[]{}";

    private final String source;
    private final Pattern pattern;

    private WholeValueRegex(String source, Pattern pattern) {
        this.source = source;
        this.pattern = pattern;
    }

    /** @throws java.util.regex.PatternSyntaxException when {@code regex} does not compile */
    public static WholeValueRegex compile(String regex) {
        Pattern pattern = Pattern.compile(regex);
        return new WholeValueRegex(regex, isLiteral(regex) ? null : pattern);
    }

    public boolean matches(String value) {
        return pattern == null ? source.equals(value) : pattern.matcher(value).matches();
    }

    /** The regex as written. */
    @Override
    public String toString() {
        return source;
    }

    private static boolean isLiteral(String regex) {
        for (int i = 0; i < regex.length(); i++) {
            if (METACHARACTERS.indexOf(regex.charAt(i)) >= 0) {
                return false;
            }
        }
        return true;
    }
}
