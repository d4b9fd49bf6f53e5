/**
 * Storage forms that turn compression into saved bytes. Clustering and unstructured pruning leave
 * a tensor of ordinary floats, which costs as much to store as before; the saving appears only
 * when a clustered tensor is kept as a small float codebook plus bit-packed indices
 * ({@link org.slmworkbench.compress.codec.WeightClustering},
 * {@link org.slmworkbench.compress.codec.BitPacking}) and a sparse one as a presence bitmap plus
 * its non-zero values ({@link org.slmworkbench.compress.codec.SparseBitmap}).
 *
 * <p>Everything here works on plain {@code float[]}, {@code int[]} and {@code byte[]}. Decoders
 * check their inputs, which will come from files, and report a mismatch with an
 * {@link java.lang.IllegalArgumentException} rather than a wrong tensor.
 */
package org.slmworkbench.compress.codec;
