package io.portcullis.policy.model;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Checks a policy regular expression's text before RE2J compiles it. Lookaround and backreferences
 * are refused with a message that says so (RE2J would only call them invalid syntax), and the
 * program it compiles to is bounded: every atom counts one,
 * times the counts of the repeats ({@code {n}}, {@code {n,m}}, {@code {n,}}) around it. RE2 bounds
 * each count (1000) but RE2J, unlike Go's {@code regexp}, not their product, and expands them while
 * compiling. Syntax errors are left to the compiler: this only has to never under-count a valid
 * expression.
 */
final class RegexPrecheck {
    /** Far above any path or host pattern; {@code (a{100}){100}} is already over. */
    static final long MAX_EXPANDED_ATOMS = 5_000;
    private static final String[] LOOKAROUND = {"(?=", "(?!", "(?<=", "(?<!"};

    private RegexPrecheck() {
    }

    /**
     * @throws InvalidRegexException lookaround, a backreference, or an expanded size over
     *         {@link #MAX_EXPANDED_ATOMS}
     */
    static void check(String regex) {
        Deque<long[]> groups = new ArrayDeque<>();   // per open group: {size so far, size of the last atom}
        long[] current = {0, 0};
        int i = 0;
        while (i < regex.length()) {
            char c = regex.charAt(i);
            if (c == '(') {
                refuseLookaround(regex, i);
                groups.push(current);
                current = new long[] {0, 0};
                i++;
                continue;
            }
            if (c == ')' && !groups.isEmpty()) {
                long group = current[0];
                current = groups.pop();
                atom(current, Math.max(group, 1));
                i++;
                continue;
            }
            if (c == '{') {
                int end = regex.indexOf('}', i);
                long count = end < 0 ? -1 : repeatCount(regex.substring(i + 1, end));
                if (count >= 0) {
                    current[0] += current[1] * (count - 1);
                    current[1] *= count;
                    check(current[0]);
                    i = end + 1;
                    continue;
                }
            }
            i = c == '\\' ? afterEscape(regex, i) : c == '[' ? afterClass(regex, i) : i + 1;
            if ("|*+?^$".indexOf(c) < 0) {
                atom(current, 1);
            }
        }
        while (!groups.isEmpty()) {   // unclosed group: the compiler refuses it, count it anyway
            long group = current[0];
            current = groups.pop();
            atom(current, group);
        }
    }

    private static void refuseLookaround(String regex, int open) {
        for (String lookaround : LOOKAROUND) {
            if (regex.startsWith(lookaround, open)) {
                throw new InvalidRegexException("lookaround `" + lookaround + "` is not supported (RE2 syntax)");
            }
        }
    }

    private static void atom(long[] current, long size) {
        current[0] += size;
        current[1] = size;
        check(current[0]);
    }

    private static void check(long size) {
        if (size > MAX_EXPANDED_ATOMS) {
            throw new InvalidRegexException("expression too large: its repeats expand to more than "
                    + MAX_EXPANDED_ATOMS + " atoms");
        }
    }

    /** The largest count a repeat body allows ({@code n}, {@code m}, or {@code n + 1} for {@code {n,}}), or -1. */
    private static long repeatCount(String body) {
        int comma = body.indexOf(',');
        String low = comma < 0 ? body : body.substring(0, comma);
        String high = comma < 0 ? "" : body.substring(comma + 1);
        if (!isCount(low) || (!high.isEmpty() && !isCount(high))) {
            return -1;   // not a repeat: RE2 reads the braces as literals
        }
        long n = Long.parseLong(low);
        return comma < 0 ? n : high.isEmpty() ? n + 1 : Math.max(n, Long.parseLong(high));
    }

    /** Longer counts are over RE2's limit of 1000: the compiler refuses them. */
    private static boolean isCount(String digits) {
        return !digits.isEmpty() && digits.length() <= 4 && digits.chars().allMatch(d -> d >= '0' && d <= '9');
    }

    /** Index after an escape; {@code \p{..}}, {@code \x{..}} and {@code \Q..\E} count as one atom. */
    private static int afterEscape(String regex, int i) {
        if (i + 1 >= regex.length()) {
            return i + 1;
        }
        char next = regex.charAt(i + 1);
        if ((next >= '1' && next <= '9') || next == 'k') {
            throw new InvalidRegexException("backreference `\\" + next + "` is not supported (RE2 syntax)");
        }
        if ((next == 'p' || next == 'P' || next == 'x') && i + 2 < regex.length() && regex.charAt(i + 2) == '{') {
            int end = regex.indexOf('}', i + 2);
            return end < 0 ? regex.length() : end + 1;
        }
        if (next == 'Q') {
            int end = regex.indexOf("\\E", i + 2);
            return end < 0 ? regex.length() : end + 2;
        }
        return i + 2;
    }

    /** Index after a character class, which matches one character whatever its length. */
    private static int afterClass(String regex, int i) {
        int j = i + 1;
        if (j < regex.length() && regex.charAt(j) == '^') {
            j++;
        }
        if (j < regex.length() && regex.charAt(j) == ']') {
            j++;   // a ']' first in the class is a literal
        }
        while (j < regex.length()) {
            char c = regex.charAt(j);
            if (c == '\\') {
                j += 2;
            } else if (c == '[' && j + 1 < regex.length() && regex.charAt(j + 1) == ':') {
                int end = regex.indexOf(":]", j + 2);
                j = end < 0 ? j + 1 : end + 2;
            } else if (c == ']') {
                return j + 1;
            } else {
                j++;
            }
        }
        return regex.length();
    }
}
