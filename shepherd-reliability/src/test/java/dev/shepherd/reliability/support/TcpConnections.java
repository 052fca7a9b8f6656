package dev.shepherd.reliability.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Counts this machine's TCP connections from {@code /proc/net/tcp} and {@code /proc/net/tcp6} (Linux), to
 * detect connection leaks from the outside. Thread-safe (stateless).
 */
public final class TcpConnections {

    private static final String ESTABLISHED = "01";

    private TcpConnections() {
    }

    /** Whether the counts are available (Linux with a readable {@code /proc}). */
    public static boolean available() {
        return Files.isReadable(Path.of("/proc/net/tcp"));
    }

    /** Open sockets of this process (file descriptors that are sockets), or -1 when unknown. */
    public static long openSockets() {
        try (java.util.stream.Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().startsWith("socket:");
                } catch (IOException | RuntimeException e) {
                    return false; // closed meanwhile
                }
            }).count();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Established connections whose remote end is 127.0.0.1:{@code port} (the clients' ends), or -1 when unknown. */
    public static int clientSideTo(int port) {
        if (!available()) {
            return -1;
        }
        String hexPort = String.format(":%04X", port);
        int n = 0;
        for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            List<String> lines;
            try {
                lines = Files.readAllLines(Path.of(table));
            } catch (IOException e) {
                continue;
            }
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 3 && f[2].endsWith(hexPort) && f[3].equals(ESTABLISHED)) {
                    n++;
                }
            }
        }
        return n;
    }
}
