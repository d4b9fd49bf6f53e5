package org.slmworkbench.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import org.slmworkbench.BadInputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The command-line front end: one subcommand class per command, all thin over the engine. */
@Command(
        name = "slm-workbench",
        mixinStandardHelpOptions = true,
        version = "SLM Workbench 0.1",
        description = "Train, run, measure and compress small language models on a CPU.",
        subcommands = {
            TrainCommand.class,
            FinetuneCommand.class,
            GenerateCommand.class,
            EvalCommand.class,
            ScoreCommand.class,
            LogbenchCommand.class,
            ExportCommand.class,
            BenchCommand.class,
            InitCommand.class,
            SampleLogsCommand.class,
            CommandLine.HelpCommand.class
        })
public final class WorkbenchCli implements Runnable {
    /** Exit code for problems with the user's input (files, flags). */
    public static final int EXIT_BAD_INPUT = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static int run(String... args) {
        return newCommandLine().execute(args);
    }

    public static CommandLine newCommandLine() {
        CommandLine cli = new CommandLine(new WorkbenchCli());
        cli.setExecutionExceptionHandler(WorkbenchCli::handle);
        return cli;
    }

    /**
     * User errors become one line and exit code 2: our BadInputException, and the
     * IllegalArgumentExceptions our own validation throws. Anything else, including an
     * IllegalArgumentException from a library, is a bug and keeps its trace.
     */
    private static int handle(Exception e, CommandLine cli, CommandLine.ParseResult parsed) throws Exception {
        PrintWriter err = cli.getErr();
        if (e instanceof BadInputException || (e instanceof IllegalArgumentException && thrownHere(e))) {
            err.println("error: " + e.getMessage());
            err.flush();
            return EXIT_BAD_INPUT;
        }
        if (e instanceof UncheckedIOException io) {
            err.println("error: " + io.getCause().getMessage());
            err.flush();
            return 1;
        }
        throw e;
    }

    private static boolean thrownHere(Exception e) {
        StackTraceElement[] trace = e.getStackTrace();
        return trace.length > 0 && trace[0].getClassName().startsWith("org.slmworkbench.");
    }
}
