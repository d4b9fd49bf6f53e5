package org.slmworkbench.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Writes files and folders so that a reader, or the user after a crash, sees either the old
 * version or the complete new one, never a half-written mix.
 *
 * <p>Files: the content goes to a hidden sibling {@code .<name>.tmp-<random>}, is fsynced, and is
 * renamed over the target with an atomic move.
 *
 * <p>Folders ({@link #replaceDirectory}): the new content is built in {@code .<name>.staging-<random>}
 * and fsynced; an existing target is renamed to {@code .<name>.old-<random>}; the staging folder is
 * renamed to the target; the old folder is deleted. A crash can leave:
 * <ul>
 *   <li>a staging folder next to an intact target (crash while filling): delete it;</li>
 *   <li>no target but an old folder (crash between the two renames): the old folder is the complete
 *       previous version, because it was produced by a single rename, so rename it back;</li>
 *   <li>the new target next to a partly deleted old folder: delete the old folder.</li>
 * </ul>
 * {@link #recover} does exactly that, and {@link #replaceDirectory} calls it first, so at most one
 * old folder can exist while the target is missing. All of this assumes one writer per target at a
 * time.
 */
public final class AtomicFiles {
    private static final String TEMP = "tmp";
    private static final String STAGING = "staging";
    private static final String OLD = "old";
    private static final Pattern ANY_SIBLING = Pattern.compile("\\..+\\.(" + TEMP + "|" + STAGING + "|" + OLD + ")-[0-9a-z]+");

    private AtomicFiles() {
    }

    /** Replaces {@code file} with {@code content} as UTF-8, atomically. */
    public static void writeString(Path file, String content) throws IOException {
        writeBytes(file, content.getBytes(StandardCharsets.UTF_8));
    }

    /** Replaces {@code file} with {@code content}, atomically. */
    public static void writeBytes(Path file, byte[] content) throws IOException {
        write(file, channel -> writeFully(channel, ByteBuffer.wrap(content)));
    }

    /**
     * Replaces {@code file} with whatever {@code body} writes to the channel it is given, atomically.
     * If {@code body} throws, the temporary file is removed, any earlier file is untouched and the
     * exception propagates unchanged. The folder must exist.
     */
    public static void write(Path file, IoAction<FileChannel> body) throws IOException {
        Path target = file.toAbsolutePath();
        Path temp = sibling(target, TEMP);
        FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            try (channel) {
                body.run(channel);
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (Throwable e) {
            deleteAfterFailure(temp, e);
            throw e;
        }
        syncDirectory(target.getParent());
    }

    /**
     * Replaces the folder (or file) {@code target} with a folder that {@code fill} populates, so that
     * {@code target} is at every moment either the old or the complete new content (see the class
     * comment for the steps and how a crash is recovered). If {@code fill} throws, the staging folder is
     * deleted, {@code target} is untouched and the exception propagates. Files {@code fill} creates are
     * fsynced by opening them for writing, so it must leave them writable. Creates missing parent folders.
     */
    public static void replaceDirectory(Path target, IoAction<Path> fill) throws IOException {
        Path dest = target.toAbsolutePath();
        Files.createDirectories(dest.getParent());
        recover(dest);
        Path staging = Files.createDirectory(sibling(dest, STAGING));
        try {
            fill.run(staging);
            syncTree(staging);
        } catch (Throwable e) {
            deleteAfterFailure(staging, e);
            throw e;
        }
        Path old = Files.exists(dest, LinkOption.NOFOLLOW_LINKS) ? sibling(dest, OLD) : null;
        try {
            if (old != null) {
                Files.move(dest, old, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(staging, dest, StandardCopyOption.ATOMIC_MOVE);
        } catch (Throwable e) {
            if (old != null && Files.exists(old, LinkOption.NOFOLLOW_LINKS)) {
                moveBackAfterFailure(old, dest, e);
            }
            deleteAfterFailure(staging, e);
            throw e;
        }
        syncDirectory(dest.getParent());
        if (old != null) {
            // The new target is in place; a leftover old folder (say, a file still open on Windows) is harmless
            // and the next recover() removes it, so a failure here does not fail the replacement.
            try {
                deleteTree(old);
            } catch (IOException e) {
                // left for recover()
            }
        }
    }

    /**
     * Repairs what an interrupted {@link #replaceDirectory} or {@link #write} left next to
     * {@code target}: if {@code target} is missing and exactly one {@code .<name>.old-*} folder exists,
     * renames it back; then deletes leftover old, staging and temporary siblings. Throws if the target
     * is missing and several old folders exist, since which one is newest cannot be told safely.
     */
    public static void recover(Path target) throws IOException {
        Path dest = target.toAbsolutePath();
        if (!Files.isDirectory(dest.getParent())) {
            return;
        }
        List<Path> olds = siblings(dest, OLD);
        if (!Files.exists(dest, LinkOption.NOFOLLOW_LINKS) && !olds.isEmpty()) {
            if (olds.size() > 1) {
                throw new IOException(dest + " is missing and several earlier versions exist " + olds
                        + "; move the right one back by hand");
            }
            Files.move(olds.get(0), dest, StandardCopyOption.ATOMIC_MOVE);
            syncDirectory(dest.getParent());
            olds = List.of();
        }
        for (Path leftover : olds) {
            deleteTree(leftover);
        }
        for (Path leftover : siblings(dest, STAGING)) {
            deleteTree(leftover);
        }
        for (Path leftover : siblings(dest, TEMP)) {
            deleteTree(leftover);
        }
    }

    /** True for the hidden temporary, staging and old siblings this class creates; listings should skip them. */
    public static boolean isStagingName(Path path) {
        Path name = path.getFileName();
        return name != null && ANY_SIBLING.matcher(name.toString()).matches();
    }

    public static void writeFully(WritableByteChannel channel, ByteBuffer data) throws IOException {
        while (data.hasRemaining()) {
            channel.write(data);
        }
    }

    private static Path sibling(Path target, String kind) {
        String suffix = Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
        return target.resolveSibling(siblingPrefix(target, kind) + suffix);
    }

    private static String siblingPrefix(Path target, String kind) {
        return "." + target.getFileName() + "." + kind + "-";
    }

    private static List<Path> siblings(Path target, String kind) throws IOException {
        Pattern pattern = Pattern.compile(Pattern.quote(siblingPrefix(target, kind)) + "[0-9a-z]+");
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(target.getParent(),
                p -> pattern.matcher(p.getFileName().toString()).matches())) {
            entries.forEach(found::add);
        }
        return found;
    }

    private static void syncTree(Path root) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile()) {
                    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                        channel.force(true);
                    }
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                syncDirectory(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Makes a rename or new entry in {@code dir} durable. Best effort: Windows cannot open a folder to sync it. */
    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Not supported here; the rename is still atomic, only its durability across a power cut is weaker.
        }
    }

    /** Deletes a file or folder tree without following symbolic links. */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void deleteAfterFailure(Path path, Throwable failure) {
        try {
            deleteTree(path);
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    private static void moveBackAfterFailure(Path old, Path dest, Throwable failure) {
        try {
            Files.move(old, dest, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }
}
