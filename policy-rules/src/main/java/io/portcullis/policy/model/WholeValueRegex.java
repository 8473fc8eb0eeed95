package io.portcullis.policy.model;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/**
 * A policy regular expression that must match a whole value ({@code /public} does not match
 * {@code /publicity}). RE2 syntax (RE2J), as Cilium's Go {@code regexp}: matching takes time
 * linear in the value whatever the expression, so a rule can not be turned into a denial of service
 * by a crafted path (no catastrophic backtracking). Lookaround and backreferences are refused,
 * since they are what makes backtracking necessary. Compiled once at load; a regex without
 * metacharacters is compared as a plain string so the common {@code GET} or {@code /health} costs
 * no matcher.
 */
public final class WholeValueRegex {
    private static final String METACHARACTERS = "\\^$.|?*+()[]{}";

    private final String source;
    private final Pattern pattern;

    private WholeValueRegex(String source, Pattern pattern) {
        this.source = source;
        this.pattern = pattern;
    }

    /**
     * @throws InvalidRegexException when {@code regex} does not compile, uses syntax RE2 does not
     *         have (lookaround, backreferences), or would expand to a program over the size limit
     */
    public static WholeValueRegex compile(String regex) {
        if (isLiteral(regex)) {
            return new WholeValueRegex(regex, null);
        }
        // Checked before compiling: RE2J expands counted repeats eagerly, so ((a{1000}){1000}){1000}
        // would exhaust the heap while compiling.
        RegexPrecheck.check(regex);
        try {
            return new WholeValueRegex(regex, Pattern.compile(regex));
        } catch (PatternSyntaxException e) {
            throw new InvalidRegexException(e.getDescription() + describeAt(e.getMessage()));
        }
    }

    public boolean matches(String value) {
        return pattern == null ? source.equals(value) : pattern.matches(value);
    }

    /** The regex as written. */
    @Override
    public String toString() {
        return source;
    }

    /** RE2J's message ends with the offending part in backquotes: keep it, it locates the error. */
    private static String describeAt(String message) {
        int quote = message.indexOf(": `");
        return quote < 0 ? "" : " " + message.substring(quote + 2);
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
