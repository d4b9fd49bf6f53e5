package org.slmworkbench.data;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.slmworkbench.BadInputException;

/** The files under a folder that a dataset reads: recursively, in a sorted order, without hidden or generated folders. */
final class FolderFiles {
    /** Folders of generated files that hold no text anyone wrote. */
    private static final Set<String> SKIPPED_FOLDERS = Set.of("__pycache__", "node_modules");

    private FolderFiles() {
    }

    /** Readable regular files under {@code folder} that are not hidden and that {@code wanted} accepts. */
    static List<Path> list(Path folder, Predicate<Path> wanted) {
        List<Path> files = new ArrayList<>();
        SimpleFileVisitor<Path> collector = new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                return !dir.equals(folder) && (isHidden(dir) || SKIPPED_FOLDERS.contains(dir.getFileName().toString()))
                        ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile() && !isHidden(file) && wanted.test(file) && Files.isReadable(file)) {
                    files.add(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE; // unreadable entries and link loops are skipped
            }
        };
        try {
            // Links are followed: log folders often hold some.
            Files.walkFileTree(folder, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, collector);
        } catch (IOException e) {
            throw new BadInputException(folder, "cannot be listed: " + e.getMessage(), e);
        }
        // Sort on '/'-separated relative paths so the order is the same on every platform.
        files.sort(Comparator.comparing(file -> folder.relativize(file).toString().replace('\\', '/')));
        return files;
    }

    private static boolean isHidden(Path path) {
        return path.getFileName() != null && path.getFileName().toString().startsWith(".");
    }
}
