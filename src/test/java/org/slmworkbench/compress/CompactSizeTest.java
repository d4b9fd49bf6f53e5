package org.slmworkbench.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slmworkbench.model.Precision;

/**
 * The size counted without writing is the size of the file written, for every encoding, cached or
 * not; a file of tensors of mixed sizes and encodings reads back exactly and is the same bytes each time.
 */
class CompactSizeTest {
    private static float[] gaussian(int n, long seed, Precision p) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
            w[i] = p.round((float) r.nextGaussian() * 0.02f);
        }
        return w;
    }

    private static CompactWeights.Tensor tensor(float[] w, Precision p, Object source) {
        return new CompactWeights.Tensor(new long[] {w.length / 64, 64}, p, w::clone, source);
    }

    @Test
    void countingMatchesWritingForEveryEncoding(@TempDir Path tmp) throws Exception {
        // more than a probe per plane, so planes are probed, some stored raw, some deflated
        int n = 1 << 19;
        float[] dense = gaussian(n, 1, Precision.F32);
        float[] bf16 = gaussian(n, 2, Precision.BF16);
        float[] sparse = gaussian(n, 3, Precision.F32);
        for (int i = 0; i < n; i += 2) {
            sparse[i] = 0;
        }
        float[] palette = new float[n];
        float[] sparsePalette = new float[n];
        for (int i = 0; i < n; i++) {
            palette[i] = (i * 7919 % 13) * 0.01f - 0.05f;
            sparsePalette[i] = i % 4 == 0 ? palette[i] + 1 : 0;
        }
        Object a = new Object();
        Object b = new Object();
        Map<String, CompactWeights.Tensor> tensors = new LinkedHashMap<>();
        tensors.put("dense", tensor(dense, Precision.F32, a));
        tensors.put("bf16", tensor(bf16, Precision.BF16, b));
        tensors.put("sparse", tensor(sparse, Precision.F32, null));
        tensors.put("palette", tensor(palette, Precision.F32, null));
        tensors.put("sparse-palette", tensor(sparsePalette, Precision.F32, null));
        Path file = tmp.resolve(CompactWeights.FILE);
        CompactWeights.write(file, tensors, Map.of());
        assertEquals(Files.size(file), CompactWeights.fileSize(tensors));

        // a second model sharing two sources: counted from the cache, still exact
        CompactWeights.SizeCache cache = new CompactWeights.SizeCache();
        assertEquals(Files.size(file), CompactWeights.fileSize(tensors, cache));
        Map<String, CompactWeights.Tensor> copy = new LinkedHashMap<>(tensors);
        float[] changed = dense.clone();
        MagnitudePruning.perTensor(changed, 0.5);
        copy.put("dense", tensor(changed, Precision.F32, new Object()));
        copy.put("bf16", new CompactWeights.Tensor(new long[] {n / 64, 64}, Precision.BF16, () -> {
            throw new AssertionError("a cached tensor is not read again");
        }, b));
        Map<String, CompactWeights.Tensor> written = new LinkedHashMap<>(copy);
        written.put("bf16", tensor(bf16, Precision.BF16, null));
        Path copyFile = tmp.resolve("copy.safetensors");
        CompactWeights.write(copyFile, written, Map.of());
        assertEquals(Files.size(copyFile), CompactWeights.fileSize(copy, cache));
    }

    @Test
    void mixedSizesReadBackExactlyAsTheSameBytesEachTime(@TempDir Path tmp) throws Exception {
        // one large tensor, then smaller ones, every third pruned (sparse)
        int n = 1 << 18;
        Map<String, CompactWeights.Tensor> tensors = new LinkedHashMap<>();
        Map<String, float[]> values = new LinkedHashMap<>();
        for (int t = 0; t < 9; t++) {
            float[] w = gaussian(t == 0 ? 4 * n : n, 10 + t, Precision.F32);
            if (t % 3 == 1) {
                MagnitudePruning.perTensor(w, 0.5);
            }
            values.put("t" + t, w);
            tensors.put("t" + t, tensor(w, Precision.F32, null));
        }
        Path first = tmp.resolve("first.safetensors");
        Path second = tmp.resolve("second.safetensors");
        CompactWeights.write(first, tensors, Map.of());
        CompactWeights.write(second, tensors, Map.of());
        assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(second), "the same tensors give the same file");
        assertEquals(Files.size(first), CompactWeights.fileSize(tensors));
        Map<String, long[]> shapes = new LinkedHashMap<>();
        tensors.forEach((name, t) -> shapes.put(name, t.shape()));
        int[] read = {0};
        CompactWeights.read(first, shapes, (name, back) -> {
            assertArrayEquals(values.get(name), back.floats(), name);
            read[0]++;
        });
        assertEquals(values.size(), read[0]);
    }
}
