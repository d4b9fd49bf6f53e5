package org.slmworkbench.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The code columns' python3: parse checks that run nothing, and limited runs of untrusted code. */
class PythonTest {
    private static Python python() {
        Python p = Python.onPath();
        assumeTrue(p != null, "python3 is not on the PATH");
        return p;
    }

    @Test
    void syntaxCheckParsesWithoutRunning() throws IOException {
        List<String> errors = python().syntaxErrors(List.of("def f(x):\n    return x + 1\n", "def f(x:\n", "import os\nos._exit(3)\n",
                "x = '\u00e9'\n"));
        assertNull(errors.get(0));
        assertNotNull(errors.get(1));
        assertTrue(errors.get(1).startsWith("SyntaxError"), errors.get(1));
        // parsed, not run: os._exit would have ended the checker
        assertNull(errors.get(2));
        assertNull(errors.get(3));
    }

    @Test
    void runsCleanCodeAndStopsRunawayCode() throws IOException {
        Python p = python();
        assertTrue(p.runsCleanly("def f(x):\n    return x * 2\nassert f(2) == 4\n"));
        assertFalse(p.runsCleanly("raise ValueError('no')\n"));
        long t0 = System.nanoTime();
        assertFalse(p.runsCleanly("while True:\n    pass\n"));
        assertTrue((System.nanoTime() - t0) / 1e9 < Python.WALL_SECONDS + 5, "the CPU limit or the timeout stops a loop");
        assertFalse(p.runsCleanly("x = bytearray(2 * 1024 ** 3)\n"), "the memory limit refuses 2 GB");
    }

    @Test
    void aMissingInterpreterIsAClearError() {
        IOException e = assertThrows(IOException.class, () -> new Python(Path.of("/nonexistent/python3")).syntaxErrors(List.of("x = 1\n")));
        assertTrue(e.getMessage().contains("python3") || e.getMessage().contains("nonexistent"), e.getMessage());
    }

    @Test
    void completionsAreCutWhereTheFunctionEnds() {
        assertEquals("    return a + b\n", CodePrompts.body("    return a + b\n\ndef g():\n    pass\n"));
        assertEquals("    x = 1\n\n    return x\n", CodePrompts.body("    x = 1\n\n    return x\nclass C:\n"));
        assertEquals("\n", CodePrompts.body("print(1)\n"));
        assertEquals("def f(a):\n    return a\n", CodePrompts.program("def f(a):\n    return a\nprint(f(1))\n"));
    }

    @Test
    void promptsAreTopLevelSignaturesSpreadOverTheFiles() {
        List<org.slmworkbench.data.Document> docs = List.of(
                new org.slmworkbench.data.Document(Path.of("a.py"), "import os\ndef one(x):\n    pass\n    def inner():\n        pass\n"),
                new org.slmworkbench.data.Document(Path.of("b.py"), "def two(\n    y):\n    pass\ndef three():\n    return 3\n"));
        assertTrue(CodePrompts.isPython(docs));
        assertFalse(CodePrompts.isPython(List.of(new org.slmworkbench.data.Document(Path.of("x.log"), "def a():\n"))));
        assertEquals(List.of("def one(x):\n    ", "def three():\n    "), CodePrompts.of(docs, 10));
        assertEquals(List.of("def one(x):\n    "), CodePrompts.of(docs, 1));
    }

    @Test
    void qualityScoreScalesValidCodeByKeptPerplexity() {
        assertEquals(80, CodeMetrics.qualityScore(80, 2.0, 2.0), 1e-9);
        assertEquals(40, CodeMetrics.qualityScore(80, 4.0, 2.0), 1e-9);
        assertEquals(80, CodeMetrics.qualityScore(80, 1.5, 2.0), 1e-9);
    }
}
