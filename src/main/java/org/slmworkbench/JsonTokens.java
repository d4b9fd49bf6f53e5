package org.slmworkbench;

import com.google.gson.stream.JsonToken;

/** JSON values named for messages about user files ("holds a number, not a string"). */
public final class JsonTokens {
    private JsonTokens() {
    }

    /** The kind of value a streaming reader is at, with its article: "an array", "a number", "null". */
    public static String describe(JsonToken token) {
        return switch (token) {
            case BEGIN_ARRAY -> "an array";
            case BEGIN_OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> token.toString();
        };
    }
}
