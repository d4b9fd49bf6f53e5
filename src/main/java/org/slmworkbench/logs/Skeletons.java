package org.slmworkbench.logs;

import java.util.regex.Pattern;

/**
 * A line's masked skeleton: what stays when the fields that differ from one occurrence of a message
 * to the next are replaced — addresses, ids, hex, numbers. Lines of one template share a skeleton,
 * so a scan of 5,000 requests for guessed paths still falls into a handful of groups only when
 * their paths do too; the mask is deliberately plain so a reader can predict it.
 */
public final class Skeletons {
    private static final Pattern IPV4 = Pattern.compile("\\b\\d{1,3}(?:\\.\\d{1,3}){3}(?::\\d+)?\\b");
    private static final Pattern HEX_ID = Pattern.compile("\\b(?=[0-9a-fA-F-]*\\d)(?=[0-9a-fA-F-]*[a-fA-F])[0-9a-fA-F]{4,}(?:-[0-9a-fA-F]{2,})*\\b");
    private static final Pattern HEX = Pattern.compile("\\b0x[0-9a-fA-F]+\\b");
    private static final Pattern NUMBER = Pattern.compile("\\d+");

    private Skeletons() {}

    /** The skeleton shown to people and used for grouping: {@code <ip>}, {@code <hex>}, {@code <id>}, {@code <n>}. */
    public static String of(String line) {
        return mask(line, "<ip>", "<hex>", "<id>", "<n>");
    }

    /**
     * The skeleton a language model reads: every masked field becomes one digit, one token, so the
     * model spends neither time nor surprise on values it cannot know.
     */
    public static String forModel(String line) {
        return mask(line, "0", "0", "0", "0");
    }

    private static String mask(String line, String ip, String hex, String id, String number) {
        String s = IPV4.matcher(line).replaceAll(ip);
        s = HEX.matcher(s).replaceAll(hex);
        s = HEX_ID.matcher(s).replaceAll(id);
        return NUMBER.matcher(s).replaceAll(number);
    }
}
