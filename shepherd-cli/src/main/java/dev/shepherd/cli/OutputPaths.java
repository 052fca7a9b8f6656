package dev.shepherd.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the verbs may write: a missing folder above an output path is created only when it lies under the working
 * directory; elsewhere ({@code --json /nope/dir/out.json}) it is an error naming the path, so a typo does not
 * silently create folders across the file system. Stateless.
 */
final class OutputPaths {

    private OutputPaths() {
    }

    /**
     * Checks that the folder that will hold {@code target} exists or may be created, before any work is done.
     *
     * @param target the file or directory an option names
     * @param option the option, for the message
     * @throws InputException naming the option and the missing folder when it is outside the working directory
     */
    static void checkParent(Path target, String option) {
        if (target == null) {
            return;
        }
        Path abs = target.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        if (parent == null || Files.isDirectory(parent)) {
            return;
        }
        Path missing = parent;
        while (missing.getParent() != null && !Files.exists(missing.getParent())) {
            missing = missing.getParent();
        }
        if (Files.exists(parent)) {
            throw new InputException(option, 0, null, parent + " is not a directory");
        }
        Path cwd = Path.of("").toAbsolutePath().normalize();
        if (!parent.startsWith(cwd)) {
            throw new InputException(option, 0, null, "folder " + parent + " does not exist (" + missing
                    + " is missing); create it first: only folders under the working directory " + cwd
                    + " are created");
        }
    }
}
