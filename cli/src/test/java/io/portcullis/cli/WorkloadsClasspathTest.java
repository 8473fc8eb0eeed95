package io.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo refuses to start without its workloads and says how to build them. */
class WorkloadsClasspathTest {
    @TempDir
    Path dir;

    @AfterEach
    void clearProperty() {
        System.clearProperty(WorkloadsClasspath.PROPERTY);
    }

    /** A directory that holds the workloads as far as the check can tell: the greeter server's class file. */
    private Path workloadsClasses() throws Exception {
        Path classes = dir.resolve("workloads-classes");
        Path probe = classes.resolve(DemoCalls.GREETER_SERVER.replace('.', '/') + ".class");
        Files.createDirectories(probe.getParent());
        Files.createFile(probe);
        return classes;
    }

    @Test
    void aMissingPropertySaysHowToBuildTheJar() {
        System.clearProperty(WorkloadsClasspath.PROPERTY);

        assertThatThrownBy(WorkloadsClasspath::resolve).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("portcullis.workloads is missing")
                .hasMessageContaining("-pl cli,workloads -am package")
                .hasMessageContaining("workloads/target/portcullis-workloads.jar");
    }

    @Test
    void anAbsentJarIsNamed() {
        Path absent = dir.resolve("portcullis-workloads.jar");
        System.setProperty(WorkloadsClasspath.PROPERTY, absent.toString());

        assertThatThrownBy(WorkloadsClasspath::resolve).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(absent + " does not exist")
                .hasMessageContaining("bin/portcullis does both");
    }

    @Test
    void aClasspathWithoutTheWorkloadsIsRefused() throws Exception {
        Path other = Files.createDirectory(dir.resolve("other-classes"));
        System.setProperty(WorkloadsClasspath.PROPERTY, other.toString());

        assertThatThrownBy(WorkloadsClasspath::resolve).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("holds no io/portcullis/workloads/grpc/GreeterServerMain.class");
    }

    @Test
    void aClasspathHoldingTheWorkloadsIsUsedAsGivenEvenWithAbsentEntries() throws Exception {
        String classpath = dir.resolve("absent-classes") + File.pathSeparator + workloadsClasses();
        System.setProperty(WorkloadsClasspath.PROPERTY, classpath);

        assertThat(WorkloadsClasspath.resolve()).isEqualTo(classpath);
        assertThat(WorkloadsClasspath.java(classpath, "a.Main", "x", "1"))
                .endsWith("-cp", classpath, "a.Main", "x", "1")
                .first().asString().endsWith("/bin/java");
    }
}
