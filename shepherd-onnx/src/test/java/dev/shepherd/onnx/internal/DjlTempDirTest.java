package dev.shepherd.onnx.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ONNX Runtime's loader leaves no {@code onnxruntime-java*} folder in the temp directory once the JVM ends. */
class DjlTempDirTest {

    /** Child JVM: starts DJL's OnnxRuntime engine (which loads ONNX Runtime) and exits. */
    public static final class Child {
        public static void main(String[] args) {
            Djl.start();
            System.exit(0);
        }
    }

    @Test
    void startingTheEngineLeavesNoOnnxRuntimeFolderBehind(@TempDir Path tmp) throws Exception {
        Path javaTmp = Files.createDirectory(tmp.resolve("java-tmp"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Djava.io.tmpdir=" + javaTmp, "-cp",
                System.getProperty("java.class.path"), Child.class.getName())
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve("child.log").toFile())
                .start();
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String log = Files.readString(tmp.resolve("child.log"), StandardCharsets.UTF_8);
        assertThat(child.exitValue()).as(log).isZero();
        List<String> left;
        try (Stream<Path> s = Files.list(javaTmp)) {
            left = s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("onnxruntime-java")).toList();
        }
        assertThat(left).as("left in " + javaTmp + File.separator).isEmpty();
    }
}
