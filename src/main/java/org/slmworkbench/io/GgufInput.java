package org.slmworkbench.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.slmworkbench.BadInputException;

/**
 * Little-endian reads from the start of a file through a small buffer, each checked against the
 * file's size first, so that no count or length a file claims can make a read run past its end or
 * an allocation outgrow the file.
 */
final class GgufInput {
    private static final int BUFFER = 1 << 16;

    private final Path file;
    private final FileChannel channel;
    private final long size;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER).order(ByteOrder.LITTLE_ENDIAN);
    /** File position of the buffer's start. */
    private long bufferStart;

    GgufInput(Path file, FileChannel channel) throws IOException {
        this.file = file;
        this.channel = channel;
        this.size = channel.size();
        buffer.limit(0);
    }

    long position() {
        return bufferStart + buffer.position();
    }

    long remaining() {
        return size - position();
    }

    long size() {
        return size;
    }

    BadInputException fail(String problem) {
        return new BadInputException(file, problem);
    }

    int u8() throws IOException {
        return fill(1).get() & 0xFF;
    }

    short u16() throws IOException {
        return fill(2).getShort();
    }

    long u32() throws IOException {
        return fill(4).getInt() & 0xFFFF_FFFFL;
    }

    long u64() throws IOException {
        return fill(8).getLong();
    }

    float f32() throws IOException {
        return fill(4).getFloat();
    }

    double f64() throws IOException {
        return fill(8).getDouble();
    }

    byte[] bytes(int n) throws IOException {
        byte[] out = new byte[n];
        int done = 0;
        while (done < n) {
            ByteBuffer b = fill(Math.min(BUFFER, n - done));
            int k = Math.min(b.remaining(), n - done);
            b.get(out, done, k);
            done += k;
        }
        return out;
    }

    /** A GGUF string: u64 length, then that many bytes of UTF-8. */
    String string(String what) throws IOException {
        long at = position();
        long length = u64();
        if (length < 0 || length > remaining()) {
            throw fail(what + " at byte " + at + " claims " + Long.toUnsignedString(length) + " bytes, but only " + remaining()
                    + " follow");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes((int) length))).toString();
        } catch (CharacterCodingException e) {
            throw fail(what + " at byte " + at + " is not valid UTF-8");
        }
    }

    /** Checks that {@code count} items of at least {@code minBytes} each can fit in what is left of the file. */
    void requireRoom(long count, long minBytes, String what) {
        if (count < 0 || count > remaining() / minBytes) {
            throw fail("claims " + Long.toUnsignedString(count) + " " + what + ", more than the " + remaining()
                    + " bytes left at byte " + position() + " can hold");
        }
    }

    /** The buffer with at least {@code n} (≤ BUFFER) bytes left, refilled from the file as needed. */
    private ByteBuffer fill(int n) throws IOException {
        if (buffer.remaining() >= n) {
            return buffer;
        }
        if (remaining() < n) {
            throw fail("ends at byte " + size + " inside the header (byte " + position() + " needs " + n + " more)");
        }
        bufferStart += buffer.position();
        buffer.compact();
        while (buffer.position() < n) {
            if (channel.read(buffer, bufferStart + buffer.position()) < 0) {
                throw fail("ends at byte " + (bufferStart + buffer.position()) + " inside the header");
            }
        }
        buffer.flip();
        return buffer;
    }
}
