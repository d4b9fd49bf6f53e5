package org.slmworkbench.logs;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.slmworkbench.FuzzFiles;

/**
 * Any bytes as the label file of each labelled-log layout ({@code instance_labels.csv},
 * {@code abnormal_label.txt}) and, gzipped, as the Hadoop archive: the folder loads or is refused
 * with a message naming the file or the folder.
 */
class LabelledLogFuzzTest {
    private static Path dir;
    private static final String LOG = "INFO a [instance: 11760334-ac63-4cc8-9086-578422af8c99] one\nINFO b two\nINFO c three\n";

    @BeforeAll
    static void folder() {
        dir = FuzzFiles.folder(LabelledLogFuzzTest.class);
    }

    @FuzzTest(maxDuration = "4s")
    @DictionaryEntries({"instance,label", ",Anomaly", ",normal", "11760334-ac63-4cc8-9086-578422af8c99", "Normal:", "Machine down:",
            "+ application_1445087491445_0005", "application_1445087491445_0005/container_1.log", "ustar"})
    void readLabelledLayouts(byte[] input) throws IOException {
        Path nova = Files.createDirectories(dir.resolve("nova"));
        Files.writeString(nova.resolve("nova.log"), LOG);
        FuzzFiles.write(nova.resolve("instance_labels.csv"), input);
        FuzzFiles.readOrRefuse(nova, () -> RealLogSets.load(nova, 0));

        Path hadoop = Files.createDirectories(dir.resolve("hadoop"));
        FuzzFiles.write(hadoop.resolve("abnormal_label.txt"), input);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(input);
        }
        FuzzFiles.write(hadoop.resolve("Hadoop.tar.gz"), gz.toByteArray());
        FuzzFiles.readOrRefuse(hadoop, () -> RealLogSets.load(hadoop, 0));
    }
}
