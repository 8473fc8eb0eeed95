package io.portcullis.cli;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the demo finds its workload programs (the {@code portcullis-workloads} module: gRPC
 * greeter, Kafka broker): the system property {@code portcullis.workloads}, a jar or a classpath,
 * which {@code bin/portcullis} sets to {@code workloads/target/portcullis-workloads.jar}.
 */
final class WorkloadsClasspath {
    static final String PROPERTY = "portcullis.workloads";
    private static final String HOW_TO_BUILD = "build the workloads jar with "
            + "'mvn -B -DskipTests -pl cli,workloads -am package' and pass -D" + PROPERTY + "=workloads/target/portcullis-workloads.jar (bin/portcullis does both)";

    /** One class that every workloads classpath holds. */
    private static final String PROBE = DemoCalls.GREETER_SERVER.replace('.', '/') + ".class";

    private WorkloadsClasspath() {
    }

    /**
     * The classpath from the property; fails with how to build it when it is unset, or when the
     * workloads are not on it (a missing jar). Entries that do not exist are allowed as long as the
     * workloads are found, as {@code java -cp} allows them.
     */
    static String resolve() {
        String classpath = System.getProperty(PROPERTY);
        if (classpath == null || classpath.isBlank()) {
            throw new IllegalStateException("the demo's workloads (gRPC greeter, Kafka broker) are not set: system "
                    + "property " + PROPERTY + " is missing; " + HOW_TO_BUILD);
        }
        List<String> missing = new ArrayList<>();
        List<URL> present = new ArrayList<>();
        for (String entry : classpath.split(File.pathSeparator)) {
            Path path = Path.of(entry);
            if (Files.exists(path)) {
                present.add(url(path));
            } else if (!entry.isEmpty()) {
                missing.add(entry);
            }
        }
        if (!holdsWorkloads(present)) {
            throw new IllegalStateException("the demo's workloads are missing: " + (present.isEmpty()
                    ? String.join(", ", missing) + " does not exist" : PROPERTY + "=" + classpath + " holds no "
                    + PROBE) + "; " + HOW_TO_BUILD);
        }
        return classpath;
    }

    /** Whether the greeter server's class is on {@code classpath} (jars' manifest Class-Path included). */
    private static boolean holdsWorkloads(List<URL> classpath) {
        try (URLClassLoader loader = new URLClassLoader(classpath.toArray(URL[]::new), null)) {
            return loader.findResource(PROBE) != null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the workloads classpath", e);
        }
    }

    private static URL url(Path path) {
        try {
            return path.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("not a usable classpath entry: " + path, e);
        }
    }

    /**
     * The command that runs {@code mainClass} of the workloads with {@code args} in a JVM like this
     * one. C1 only and the serial GC: these JVMs must start fast and carry a demo's few requests,
     * several at once on a node that may have two cores.
     */
    static List<String> java(String classpath, String mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", classpath, mainClass));
        command.addAll(List.of(args));
        return command;
    }
}
