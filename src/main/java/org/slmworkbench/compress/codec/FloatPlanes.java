package org.slmworkbench.compress.codec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.stream.IntStream;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Lossless storage of float values as four byte planes (byte 0 of every value, then byte 1, …),
 * each deflated when that is smaller (see {@link #deflate}). Trained weights span a narrow range of exponents, so the
 * plane holding sign and exponent shrinks to a fraction while the low mantissa planes stay as they
 * are (the observation behind ZipNN, Hershcovitch et al. 2024). A plane's stored length is -1 when
 * it is kept raw.
 */
public final class FloatPlanes {
    private static final int PLANES = Float.BYTES;
    private static final long MAX_INFLATION = 1032;

    private FloatPlanes() {}

    /**
     * The planes one after another (null when only lengths were asked for; a view of the array they
     * were made in, not a copy), and each plane's deflated length (-1: raw, {@code count} bytes).
     */
    public record Encoded(ByteBuffer payload, int[] lengths) {}

    public static Encoded encode(float[] values) {
        return encode(values, true);
    }

    /** What {@link #encode} gives as lengths, without keeping the payload: a file's size counted holds no bytes. */
    public static int[] lengths(float[] values) {
        return encode(values, false).lengths();
    }

    private static Encoded encode(float[] values, boolean keepBytes) {
        int n = values.length;
        // plane p at [p·n, (p+1)·n) of one array, which then becomes the payload in place: the heap
        // never holds the planes and a copy of them (150 MB more for tiny_starcoder's embeddings)
        byte[] planes = new byte[Math.multiplyExact(PLANES, n)];
        for (int i = 0; i < n; i++) {
            int bits = Float.floatToRawIntBits(values[i]);
            planes[i] = (byte) bits;
            planes[n + i] = (byte) (bits >>> 8);
            planes[2 * n + i] = (byte) (bits >>> 16);
            planes[3 * n + i] = (byte) (bits >>> 24);
        }
        // planes are independent: deflated side by side, each deterministically, so the bytes do not depend on the threads
        OutputStream[] deflated = new OutputStream[PLANES];
        int[] lengths = new int[PLANES];
        IntStream.range(0, PLANES).parallel().forEach(p -> {
            deflated[p] = deflate(planes, p * n, n, keepBytes);
            long length = deflated[p] == null ? -1 : size(deflated[p]);
            lengths[p] = length < 0 || length >= n ? -1 : (int) length;
        });
        if (!keepBytes) {
            return new Encoded(null, lengths);
        }
        // each plane moves down to where the one before it ended; a deflated plane is shorter than
        // its place, so nothing is overwritten before it has moved
        int at = 0;
        for (int p = 0; p < PLANES; p++) {
            if (lengths[p] < 0) {
                System.arraycopy(planes, p * n, planes, at, n);
                at += n;
            } else {
                at += ((Bytes) deflated[p]).copyTo(planes, at);
            }
        }
        return new Encoded(ByteBuffer.wrap(planes, 0, at).slice(), lengths);
    }

    /** A byte stream whose bytes can be copied out without a copy of its own. */
    private static final class Bytes extends ByteArrayOutputStream {
        Bytes(int size) {
            super(size);
        }

        int copyTo(byte[] target, int at) {
            System.arraycopy(buf, 0, target, at, count);
            return count;
        }
    }

    /** Counts what is written to it. */
    private static final class Counter extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }

    private static long size(OutputStream out) {
        return out instanceof Counter c ? c.count : ((ByteArrayOutputStream) out).size();
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
        // a raw plane is read where it lies in the payload, a deflated one from its inflated copy
        byte[][] planes = new byte[PLANES][];
        int[] starts = new int[PLANES];
        int offset = 0;
        for (int p = 0; p < PLANES; p++) {
            planes[p] = lengths[p] < 0 ? payload : inflate(payload, offset, lengths[p], count);
            starts[p] = lengths[p] < 0 ? offset : 0;
            offset += lengths[p] < 0 ? count : lengths[p];
        }
        byte[] b0 = planes[0];
        byte[] b1 = planes[1];
        byte[] b2 = planes[2];
        byte[] b3 = planes[3];
        int s0 = starts[0];
        int s1 = starts[1];
        int s2 = starts[2];
        int s3 = starts[3];
        float[] out = new float[count];
        for (int i = 0; i < count; i++) {
            out[i] = Float.intBitsToFloat((b0[s0 + i] & 0xFF) | (b1[s1 + i] & 0xFF) << 8 | (b2[s2 + i] & 0xFF) << 16 | b3[s3 + i] << 24);
        }
        return out;
    }

    /**
     * The plane deflated, or null when a probe of its
     * first {@link #PROBE} bytes shows it will not shrink by {@link #MIN_SAVING} (low mantissa
     * planes are random bits: deflating them was a third of the encoding time, for nothing).
     * Huffman coding alone suits the sign-and-exponent plane (smaller than LZ77 at the fastest level, and over twice as fast); a plane whose probe codes
     * near Huffman's floor of one bit a byte is nearly constant (the zero planes of a bf16 tensor
     * widened to f32), and LZ77's runs shrink it far more. The choice depends on the bytes alone,
     * so counting a file's size and writing it decide alike.
     */
    private static OutputStream deflate(byte[] planes, int offset, int length, boolean keepBytes) {
        int probe = Math.min(length, PROBE);
        Counter probed = new Counter();
        deflate(planes, offset, probe, Deflater.HUFFMAN_ONLY, probed);
        double ratio = (double) probed.count / Math.max(1, probe);
        if (ratio > 1 - MIN_SAVING) {
            return null;
        }
        // sized by the probe, so a plane kept raw costs no buffer and a deflated one rarely regrows
        OutputStream out = keepBytes ? new Bytes((int) Math.min(length, ratio * 1.1 * length) + 1024) : new Counter();
        deflate(planes, offset, length, ratio < NEAR_CONSTANT ? Deflater.DEFAULT_STRATEGY : Deflater.HUFFMAN_ONLY, out);
        return out;
    }

    /** Bytes a plane is probed on: eight of zlib's blocks; a MiB was 40% of the work on a 2.4M-value tensor. */
    private static final int PROBE = 1 << 17;
    /** Input handed to the Deflater at a time. */
    private static final int CHUNK = 1 << 20;
    private static final double MIN_SAVING = 0.03;
    private static final double NEAR_CONSTANT = 0.15;

    /**
     * Deflates {@code planes[offset, offset + length)} through direct buffers a megabyte at a time. Given the heap
     * arrays themselves, each Deflater call holds them in a JNI critical region, which defers every
     * collection; with four planes deflated at once an allocation that needed one gave up after
     * JDK 17's two retries, and {@code bench} on TinyLlama ended in "OutOfMemoryError: Java heap
     * space" with most of the heap free. Direct buffers take no critical region.
     */
    private static void deflate(byte[] planes, int offset, int length, int strategy, OutputStream out) {
        Deflater d = new Deflater(Deflater.BEST_SPEED);
        try {
            d.setStrategy(strategy);
            ByteBuffer in = ByteBuffer.allocateDirect(Math.max(1, Math.min(length, CHUNK)));
            ByteBuffer deflated = ByteBuffer.allocateDirect(1 << 16);
            byte[] buf = new byte[1 << 16];
            int given = 0;
            while (!d.finished()) {
                if (d.needsInput() && given < length) {
                    int n = Math.min(in.capacity(), length - given);
                    in.clear();
                    in.put(planes, offset + given, n).flip();
                    d.setInput(in);
                    given += n;
                    if (given == length) {
                        d.finish();
                    }
                } else if (length == 0) {
                    d.finish();
                }
                deflated.clear();
                d.deflate(deflated);
                deflated.flip();
                int n = deflated.remaining();
                deflated.get(buf, 0, n);
                out.write(buf, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("memory streams do not fail", e);
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
}
