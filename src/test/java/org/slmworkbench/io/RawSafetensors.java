package org.slmworkbench.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Builds safetensors files byte by byte, so tests can hand the reader anything, broken or not. */
final class RawSafetensors {
    private RawSafetensors() {
    }

    /** A file whose header is {@code json} (as UTF-8) followed by {@code dataBytes} zero bytes. */
    static Path withHeader(Path file, String json, int dataBytes) throws IOException {
        byte[] header = json.getBytes(StandardCharsets.UTF_8);
        return withClaimedLength(file, header.length, concat(header, new byte[dataBytes]));
    }

    /** A file whose length prefix says {@code claimedLength}, followed by {@code rest} verbatim. */
    static Path withClaimedLength(Path file, long claimedLength, byte[] rest) throws IOException {
        byte[] prefix = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(claimedLength).array();
        Files.write(file, concat(prefix, rest));
        return file;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
