package io.portcullis.parsers.http1;

/** Character classes of RFC 9110 / RFC 3986 used by the strict checks. */
final class HttpSyntax {
    private static final boolean[] TCHAR = new boolean[128];
    private static final boolean[] UNRESERVED = new boolean[128];
    /** pchar minus '%' (checked separately) plus '/' and '?': what may appear literally in a target. */
    private static final boolean[] TARGET = new boolean[128];
    /** reg-name / IP-literal / port characters of an authority (no userinfo). */
    private static final boolean[] AUTHORITY = new boolean[128];

    static {
        for (char c = '0'; c <= '9'; c++) {
            mark(c, TCHAR, UNRESERVED, TARGET, AUTHORITY);
        }
        for (char c = 'a'; c <= 'z'; c++) {
            mark(c, TCHAR, UNRESERVED, TARGET, AUTHORITY);
            mark(Character.toUpperCase(c), TCHAR, UNRESERVED, TARGET, AUTHORITY);
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            mark(c, TCHAR);
        }
        for (char c : "-._~".toCharArray()) {
            mark(c, UNRESERVED, TARGET, AUTHORITY);
        }
        for (char c : "!$&'()*+,;=:@/?".toCharArray()) {
            mark(c, TARGET);
        }
        for (char c : "!$&'()*+,;=:[]".toCharArray()) {
            mark(c, AUTHORITY);
        }
    }

    private HttpSyntax() {
    }

    private static void mark(char c, boolean[]... tables) {
        for (boolean[] table : tables) {
            table[c] = true;
        }
    }

    static boolean isTchar(int b) {
        return b >= 0 && b < 128 && TCHAR[b];
    }

    static boolean isUnreserved(int c) {
        return c >= 0 && c < 128 && UNRESERVED[c];
    }

    static boolean isTargetChar(int c) {
        return c >= 0 && c < 128 && TARGET[c];
    }

    static boolean isAuthorityChar(int c) {
        return c >= 0 && c < 128 && AUTHORITY[c];
    }

    static int hexValue(int c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
