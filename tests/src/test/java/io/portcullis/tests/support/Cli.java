package io.portcullis.tests.support;

import io.portcullis.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

/** Runs the CLI in-process against an agent's API socket and captures what it printed. */
public final class Cli {
    private final Path socket;

    public Cli(Path socket) {
        this.socket = socket;
    }

    public Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--socket";
        all[args.length + 1] = socket.toString();
        int exit = Main.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(all);
        return new Result(exit, out.toString(), err.toString());
    }

    public record Result(int exit, String out, String err) {
    }
}
