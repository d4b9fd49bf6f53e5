package org.slmworkbench.data;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;
import org.slmworkbench.BadInputException;

/**
 * Writes a folder's new contents into a hidden sibling and renames it into place, so the target
 * name never holds a half-written folder. An existing target is replaced only if everything in it
 * is something the writer itself produces, so pointing it at a home folder cannot wipe it.
 */
final class FolderSwap {
    @FunctionalInterface
    interface Writer<T> {
        T writeInto(Path folder) throws IOException;
    }

    private FolderSwap() {
    }

    /**
     * @param ownEntries names that may be found directly in an existing target (what the writer
     *     makes); anything else there makes this refuse
     * @return what the writer returned
     */
    static <T> T replace(Path target, Set<String> ownEntries, Writer<T> writer) throws IOException {
        Path absolute = target.toAbsolutePath().normalize();
        Path parent = absolute.getParent();
        if (parent == null || absolute.getFileName() == null) {
            throw new BadInputException(target, "cannot write into a file system root; choose a sub-folder");
        }
        checkReplaceable(target, absolute, ownEntries);
        Files.createDirectories(parent);
        String name = absolute.getFileName().toString();
        Path fresh = createHiddenSibling(parent, name, "new");
        try {
            T result = writer.writeInto(fresh);
            swapIn(fresh, absolute, parent, name);
            return result;
        } finally {
            if (Files.exists(fresh)) {
                deleteRecursively(fresh);
            }
        }
    }

    private static void checkReplaceable(Path target, Path absolute, Set<String> ownEntries) throws IOException {
        if (!Files.exists(absolute)) {
            return;
        }
        if (!Files.isDirectory(absolute)) {
            throw new BadInputException(target, "exists and is not a folder");
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(absolute)) {
            for (Path entry : entries) {
                String entryName = entry.getFileName().toString();
                if (!ownEntries.contains(entryName)) {
                    throw new BadInputException(target, "already holds '" + entryName
                            + "', which was not generated here; choose a new or empty folder");
                }
            }
        }
    }

    /** Moves the old folder aside, the new one in, and only then deletes the old one. */
    private static void swapIn(Path fresh, Path target, Path parent, String name) throws IOException {
        if (!Files.exists(target)) {
            Files.move(fresh, target, StandardCopyOption.ATOMIC_MOVE);
            return;
        }
        Path graveyard = createHiddenSibling(parent, name, "old");
        Path old = graveyard.resolve(name);
        Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        try {
            Files.move(fresh, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // Put the old folder back; if even that fails it stays in the hidden sibling.
            Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);
            Files.delete(graveyard);
            throw e;
        }
        deleteRecursively(graveyard);
    }

    /**
     * Like createTempDirectory, but with the default permissions rather than owner-only, because
     * the new folder becomes the output itself.
     */
    private static Path createHiddenSibling(Path parent, String name, String purpose) throws IOException {
        while (true) {
            Path candidate = parent.resolve("." + name + "." + purpose + "-" + Long.toHexString(System.nanoTime()));
            try {
                return Files.createDirectory(candidate);
            } catch (FileAlreadyExistsException taken) {
                // another attempt in the same nanosecond tick; try the next name
            }
        }
    }

    static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
                if (failure != null) {
                    throw failure;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
