package io.portcullis.proxy.process;

import io.portcullis.config.AgentConfigLoader;
import io.portcullis.config.yaml.ConfigException;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code portcullis proxy}: runs the proxy process. The agent starts it this way
 * ({@code java -cp ... io.portcullis.proxy.process.ProxyMain --config FILE [--take-over]}), and an
 * operator can run it as a unit of its own with the agent's configuration file.
 */
public final class ProxyMain {
    /** One line per log record on stderr: time, level, what happened. Overridable with -D. */
    private static final String LOG_FORMAT = "%1$tFT%1$tT.%1$tL%1$tz %4$s [proxy] %5$s%6$s%n";
    static final String USAGE = "usage: portcullis proxy --config FILE [--take-over]";
    /**
     * Netty's HTTP/2 decoder tells at INFO of every DATA frame that arrives for a stream the proxy
     * reset (a denied request's body still in flight): normal protocol, nothing for an operator.
     * Held here because java.util.logging keeps only weak references to configured loggers.
     */
    private static final Logger HTTP2_DECODER = Logger.getLogger("io.netty.handler.codec.http2.DefaultHttp2ConnectionDecoder");

    private ProxyMain() {
    }

    public static void main(String[] args) {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", LOG_FORMAT);
        }
        System.exit(run(args));
    }

    /** Runs the proxy until it has drained; returns the exit code. */
    public static int run(String... args) {
        HTTP2_DECODER.setLevel(Level.WARNING);
        Path config = null;
        boolean takeOver = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--config" -> config = i + 1 < args.length ? Path.of(args[++i]) : null;
                case "--take-over" -> takeOver = true;
                default -> {
                    System.err.println("portcullis proxy: unknown argument '" + args[i] + "'\n" + USAGE);
                    return 2;
                }
            }
        }
        if (config == null) {
            System.err.println("portcullis proxy: --config is required\n" + USAGE);
            return 2;
        }
        try {
            ProxyProcess.run(AgentConfigLoader.load(config), takeOver);
            return 0;
        } catch (ConfigException e) {
            System.err.println("portcullis proxy: " + e.getMessage());
            return 1;
        } catch (Exception e) {
            System.err.println("portcullis proxy: " + e.getMessage());
            return 1;
        }
    }
}
