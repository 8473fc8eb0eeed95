package io.portcullis.policy.model;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A {@code toFQDNs} item or a {@code rules.dns} item: Cilium's FQDNSelector, {@code matchName}
 * (one name) or {@code matchPattern} (names by a wildcard pattern), never both. Names compare
 * without case and without the trailing dot. In a pattern {@code *} stands for any run of the
 * characters a label may hold ({@code [-a-zA-Z0-9_]}) and never crosses a dot, so
 * {@code *.example.com} matches {@code api.example.com} but neither {@code example.com} nor
 * {@code a.b.example.com}; the pattern {@code *} alone matches every name.
 *
 * @param matchName    the name, lower case without the trailing dot; null for a pattern
 * @param matchPattern the pattern, lower case without the trailing dot; null for a name
 */
public record FqdnSelector(String matchName, String matchPattern, Pattern regex) {
    private static final Pattern NAME = Pattern.compile("[-a-z0-9_.]+");
    private static final Pattern PATTERN = Pattern.compile("[-a-z0-9_.*]+");
    private static final String LABEL_CHARS = "[-a-z0-9_]";

    public FqdnSelector {
        if ((matchName == null) == (matchPattern == null)) {
            throw new IllegalArgumentException("give matchName or matchPattern, one per selector");
        }
        Objects.requireNonNull(regex, "regex");
    }

    /** @throws IllegalArgumentException when the name has characters no DNS name has */
    public static FqdnSelector name(String name) {
        String normal = normalise(name);
        if (normal.isEmpty() || !NAME.matcher(normal).matches()) {
            throw new IllegalArgumentException("matchName '" + name + "' is not a DNS name: use letters, digits, '-',"
                    + " '_' and '.'");
        }
        return new FqdnSelector(normal, null, Pattern.compile(Pattern.quote(normal)));
    }

    /** @throws IllegalArgumentException when the pattern has characters other than a name's and '*' */
    public static FqdnSelector pattern(String pattern) {
        String normal = normalise(pattern);
        if (normal.isEmpty() || !PATTERN.matcher(normal).matches()) {
            throw new IllegalArgumentException("matchPattern '" + pattern + "' is not a DNS name pattern: use letters,"
                    + " digits, '-', '_', '.' and '*'");
        }
        if (normal.equals("*")) {
            return new FqdnSelector(null, normal, Pattern.compile("(" + LABEL_CHARS + "+\\.)*" + LABEL_CHARS + "+"));
        }
        StringBuilder regex = new StringBuilder();
        for (String part : normal.split("\\*", -1)) {
            if (regex.length() > 0) {
                regex.append(LABEL_CHARS).append('*');
            }
            regex.append(Pattern.quote(part));
        }
        return new FqdnSelector(null, normal, Pattern.compile(regex.toString()));
    }

    /** Whether a queried or answered name is selected. */
    public boolean matches(String name) {
        return regex.matcher(normalise(name)).matches();
    }

    /** The label a learned address's identity carries for this selector: {@code fqdn:<selector>}. */
    public String label() {
        return "fqdn:" + this;
    }

    /** Lower case, without the trailing dot of a fully qualified name. */
    public static String normalise(String name) {
        String lower = name.trim().toLowerCase(Locale.ROOT);
        return lower.endsWith(".") && lower.length() > 1 ? lower.substring(0, lower.length() - 1) : lower;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof FqdnSelector that && Objects.equals(matchName, that.matchName)
                && Objects.equals(matchPattern, that.matchPattern);
    }

    @Override
    public int hashCode() {
        return Objects.hash(matchName, matchPattern);
    }

    @Override
    public String toString() {
        return matchName != null ? "matchName=" + matchName : "matchPattern=" + matchPattern;
    }
}
