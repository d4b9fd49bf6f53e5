package org.slmworkbench.compress.codec;

/**
 * Unstructured-sparse storage: a presence bitmap (bit {@code i} set exactly when element
 * {@code i} is non-zero, laid out as {@link BitPacking} at one bit) plus the non-zero values in
 * index order. Costs n/8 bytes plus 4 per non-zero, so it pays off above about 3% zeros.
 *
 * <p>Both 0.0f and -0.0f count as zero and decode to 0.0f. A NaN is non-zero and is kept.
 */
public final class SparseBitmap {
    /**
     * A tensor of {@code length} elements in sparse form. The arrays are held, not copied: tensors
     * are large and these are short-lived intermediates on the way to or from a file.
     */
    public record Encoded(byte[] bitmap, float[] values, int length) {}

    private SparseBitmap() {}

    public static Encoded encode(float[] dense) {
        byte[] bitmap = new byte[BitPacking.packedLength(dense.length, 1)];
        int nonZero = 0;
        // branch-free: half the weights of a pruned tensor are zero, in no order a branch could predict
        for (int i = 0; i < dense.length; i++) {
            int bit = isNonZero(dense[i]);
            bitmap[i >>> 3] |= (byte) (bit << (i & 7));
            nonZero += bit;
        }
        return new Encoded(bitmap, nonZeros(dense, nonZero), dense.length);
    }

    /** 1 for a non-zero value (NaN included), 0 for 0.0f and -0.0f. */
    private static int isNonZero(float x) {
        // |bits| + MAX_VALUE carries into the top bit exactly when |bits| is not 0
        return ((Float.floatToRawIntBits(x) & 0x7FFFFFFF) + 0x7FFFFFFF) >>> 31;
    }

    /** The {@code count} non-zero values of {@code dense}, in index order. */
    static float[] nonZeros(float[] dense, int count) {
        float[] values = new float[count];
        if (count == 0) {
            return values;
        }
        int end = dense.length;
        while (isNonZero(dense[end - 1]) == 0) {
            end--;
        }
        // every value is written and the slot advances past non-zeros only; up to the last
        // non-zero the slot stays inside the array
        int at = 0;
        for (int i = 0; i < end; i++) {
            values[at] = dense[i];
            at += isNonZero(dense[i]);
        }
        return values;
    }

    /**
     * The dense tensor, after checking that the parts agree: the bitmap has exactly
     * ceil(length/8) bytes, sets no bit at or past {@code length}, and sets as many bits as there
     * are values. A value of zero under a set bit is accepted and decodes to zero.
     */
    public static float[] decode(byte[] bitmap, float[] values, int length) {
        if (length < 0) {
            throw new IllegalArgumentException("length must not be negative, got " + length);
        }
        int expectedBytes = BitPacking.packedLength(length, 1);
        if (bitmap.length != expectedBytes) {
            throw new IllegalArgumentException("bitmap of a " + length
                    + "-element tensor must have " + expectedBytes + " bytes, got "
                    + bitmap.length);
        }
        int tailBits = length & 7;
        if (tailBits != 0 && (bitmap[expectedBytes - 1] & 0xFF) >>> tailBits != 0) {
            throw new IllegalArgumentException(
                    "bitmap marks elements past the tensor length " + length);
        }
        long marked = 0;
        for (byte b : bitmap) {
            marked += Integer.bitCount(b & 0xFF);
        }
        if (marked != values.length) {
            throw new IllegalArgumentException("bitmap marks " + marked
                    + " non-zero elements but " + values.length + " values were given");
        }
        float[] dense = new float[length];
        int at = 0;
        for (int byteIndex = 0; byteIndex < bitmap.length; byteIndex++) {
            int bits = bitmap[byteIndex] & 0xFF;
            while (bits != 0) {
                dense[(byteIndex << 3) + Integer.numberOfTrailingZeros(bits)] = values[at++];
                bits &= bits - 1;
            }
        }
        return dense;
    }
}
