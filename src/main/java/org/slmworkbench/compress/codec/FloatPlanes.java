package org.slmworkbench.compress.codec;

import java.io.ByteArrayOutputStream;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Lossless storage of float values as four byte planes (byte 0 of every value, then byte 1, …),
 * each deflated when that is smaller. Trained weights span a narrow range of exponents, so the
 * plane holding sign and exponent shrinks to a fraction while the low mantissa planes stay as they
 * are (the observation behind ZipNN, Hershcovitch et al. 2024). A plane's stored length is -1 when
 * it is kept raw.
 */
public final class FloatPlanes {
    private static final int PLANES = Float.BYTES;
    private static final long MAX_INFLATION = 1032;

    private FloatPlanes() {}

    /** The planes one after another, and each plane's deflated length (-1: raw, {@code count} bytes). */
    public record Encoded(byte[] payload, int[] lengths) {}

    public static Encoded encode(float[] values) {
        int n = values.length;
        byte[][] planes = new byte[PLANES][n];
        for (int i = 0; i < n; i++) {
            int bits = Float.floatToRawIntBits(values[i]);
            for (int p = 0; p < PLANES; p++) {
                planes[p][i] = (byte) (bits >>> (8 * p));
            }
        }
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        int[] lengths = new int[PLANES];
        for (int p = 0; p < PLANES; p++) {
            byte[] deflated = deflate(planes[p]);
            boolean raw = deflated.length >= n;
            payload.writeBytes(raw ? planes[p] : deflated);
            lengths[p] = raw ? -1 : deflated.length;
        }
        return new Encoded(payload.toByteArray(), lengths);
    }

    /** Bytes {@link #encode} stores for these lengths and {@code count} values. */
    public static long storedBytes(int[] lengths, int count) {
        long total = 0;
        for (int l : lengths) {
            total += l < 0 ? count : l;
        }
        return total;
    }

    /**
     * The {@code count} values back; refuses lengths that do not add up to the payload and planes
     * that do not inflate to exactly {@code count} bytes, so a corrupt file cannot allocate by a claim.
     */
    public static float[] decode(byte[] payload, int[] lengths, int count) {
        if (lengths.length != PLANES) {
            throw new IllegalArgumentException("has " + lengths.length + " byte planes, expected " + PLANES);
        }
        for (int l : lengths) {
            if (l < -1) {
                throw new IllegalArgumentException("has a byte plane of length " + l);
            }
            // deflate expands at most 1032:1, so a longer claim is refused before anything is allocated
            if (l >= 0 && count > MAX_INFLATION * (long) l + 64) {
                throw new IllegalArgumentException("a byte plane of " + l + " deflated bytes cannot hold " + count + " values");
            }
        }
        if (storedBytes(lengths, count) != payload.length) {
            throw new IllegalArgumentException("byte planes take " + storedBytes(lengths, count) + " bytes but " + payload.length
                    + " are stored");
        }
        int[] bits = new int[count];
        int offset = 0;
        for (int p = 0; p < PLANES; p++) {
            byte[] plane = lengths[p] < 0 ? slice(payload, offset, count) : inflate(payload, offset, lengths[p], count);
            offset += lengths[p] < 0 ? count : lengths[p];
            for (int i = 0; i < count; i++) {
                bits[i] |= (plane[i] & 0xFF) << (8 * p);
            }
        }
        float[] out = new float[count];
        for (int i = 0; i < count; i++) {
            out[i] = Float.intBitsToFloat(bits[i]);
        }
        return out;
    }

    private static byte[] deflate(byte[] plane) {
        // the fastest level: the exponent plane shrinks about as much as at the best level, and
        // every slider setting writes a compact file to measure its size
        Deflater d = new Deflater(Deflater.BEST_SPEED);
        try {
            d.setInput(plane);
            d.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(plane.length / 2 + 64);
            byte[] buf = new byte[1 << 16];
            while (!d.finished()) {
                out.write(buf, 0, d.deflate(buf));
            }
            return out.toByteArray();
        } finally {
            d.end();
        }
    }

    private static byte[] inflate(byte[] payload, int offset, int length, int count) {
        Inflater inf = new Inflater();
        try {
            inf.setInput(payload, offset, length);
            byte[] out = new byte[count];
            int n = 0;
            while (n < count && !inf.finished() && !inf.needsInput() && !inf.needsDictionary()) {
                int got = inf.inflate(out, n, count - n);
                if (got == 0 && !inf.finished() && !inf.needsInput()) {
                    break; // no progress: a stream asking for a dictionary or otherwise stuck
                }
                n += got;
            }
            // exactly count bytes, the stream ends there, and nothing of the plane is left over
            byte[] probe = new byte[1];
            if (n != count || (!inf.finished() && inf.inflate(probe) > 0) || !inf.finished() || inf.getRemaining() != 0) {
                throw new IllegalArgumentException("a deflated byte plane does not hold exactly " + count + " bytes");
            }
            return out;
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("a deflated byte plane is corrupt: " + e.getMessage());
        } finally {
            inf.end();
        }
    }

    private static byte[] slice(byte[] payload, int offset, int count) {
        byte[] out = new byte[count];
        System.arraycopy(payload, offset, out, 0, count);
        return out;
    }
}
