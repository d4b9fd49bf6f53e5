package org.slmworkbench.io;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One GGUF metadata value: a number, a bool, a string, or an array of one of those. Integers of
 * every width are held as a long (a UINT64 above Long.MAX_VALUE as its bit pattern), floats as a
 * double, arrays as a list of such values with their element type.
 */
public record GgufValue(GgufValueType type, GgufValueType elementType, Object value) {

    public GgufValue {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(value, "value");
        if ((type == GgufValueType.ARRAY) != (elementType != null)) {
            throw new IllegalArgumentException("an array, and only an array, has an element type");
        }
        if (elementType == GgufValueType.ARRAY) {
            throw new IllegalArgumentException("arrays of arrays are not supported");
        }
    }

    public static GgufValue u32(long v) {
        if (v < 0 || v > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException(v + " is not a UINT32");
        }
        return new GgufValue(GgufValueType.UINT32, null, v);
    }

    public static GgufValue f32(double v) {
        return new GgufValue(GgufValueType.FLOAT32, null, (double) (float) v);
    }

    public static GgufValue bool(boolean v) {
        return new GgufValue(GgufValueType.BOOL, null, v);
    }

    public static GgufValue string(String v) {
        return new GgufValue(GgufValueType.STRING, null, v);
    }

    public static GgufValue strings(List<String> v) {
        return new GgufValue(GgufValueType.ARRAY, GgufValueType.STRING, List.copyOf(v));
    }

    public static GgufValue i32s(int[] v) {
        List<Object> list = new ArrayList<>(v.length);
        for (int x : v) {
            list.add((long) x);
        }
        return new GgufValue(GgufValueType.ARRAY, GgufValueType.INT32, list);
    }

    public long asLong() {
        if (!type.isInteger()) {
            throw new IllegalStateException("a " + type + " is not an integer");
        }
        return (Long) value;
    }

    public String asString() {
        if (type != GgufValueType.STRING) {
            throw new IllegalStateException("a " + type + " is not a string");
        }
        return (String) value;
    }

    /** The elements of an array. */
    @SuppressWarnings("unchecked")
    public List<Object> asList() {
        if (type != GgufValueType.ARRAY) {
            throw new IllegalStateException("a " + type + " is not an array");
        }
        return (List<Object>) value;
    }
}
