package dev.shepherd.cli.trace;

import dev.shepherd.cli.InputException;
import dev.shepherd.core.ShepherdException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Resolves a {@code --trace} argument ({@code routellm:FILE} or {@code routellm:https://...}) to a local file.
 *
 * <p>An https URL is downloaded once into the cache directory (default {@code ~/.cache/shepherd}) under a name
 * derived from the URL's SHA-256, written to a temporary file first and moved into place only when complete, so
 * an interrupted download is never mistaken for the trace. Later runs use the cached copy without the network.
 *
 * <p>Thread-safe.
 */
public final class TraceSource {

    /** The only trace format read today. */
    public static final String ROUTELLM = "routellm";

    private static final Logger log = LoggerFactory.getLogger(TraceSource.class);

    private final Path cacheDir;

    private TraceSource(Path cacheDir) {
        this.cacheDir = Objects.requireNonNull(cacheDir, "cacheDir");
    }

    /**
     * Creates a source resolving URLs into {@code cacheDir}.
     *
     * @param cacheDir the cache directory, or {@code null} for {@code ~/.cache/shepherd}
     * @return the source
     */
    public static TraceSource withCache(Path cacheDir) {
        return new TraceSource(cacheDir != null ? cacheDir
                : Path.of(System.getProperty("user.home"), ".cache", "shepherd"));
    }

    /**
     * Reads the trace a {@code --trace} argument names.
     *
     * @param spec {@code routellm:PATH} or {@code routellm:https://URL}
     * @return the trace
     * @throws InputException for an unknown trace format, a missing file or a malformed CSV
     * @throws ShepherdException when the download or the cache write fails (a run-time failure, exit code 1)
     */
    public RouteLlmTrace read(String spec) {
        Objects.requireNonNull(spec, "spec");
        int colon = spec.indexOf(':');
        String format = colon < 0 ? "" : spec.substring(0, colon);
        if (!ROUTELLM.equals(format)) {
            throw new InputException("--trace", 0, null, "unknown trace format in '" + spec
                    + "'; expected routellm:FILE or routellm:https://URL");
        }
        String location = spec.substring(colon + 1);
        if (location.startsWith("http://")) {
            throw new InputException("--trace", 0, null, "refusing plain http URL '" + location + "'; use https");
        }
        if (location.startsWith("https://")) {
            return RouteLlmTraceReader.read(cached(location), location);
        }
        return RouteLlmTraceReader.read(Path.of(location));
    }

    /**
     * Returns the cached copy of {@code url}, downloading it first when absent.
     *
     * @param url an https URL
     * @return the local file
     */
    public Path cached(String url) {
        Path file = cacheFile(url);
        if (Files.isRegularFile(file)) {
            log.debug("using cached trace {} for {}", file, url);
            return file;
        }
        try {
            Files.createDirectories(cacheDir);
            Path tmp = Files.createTempFile(cacheDir, "download-", ".part");
            try {
                download(url, tmp);
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return file;
        } catch (IOException e) {
            // the network or the disk failed, not the user's input: a run-time failure (exit 1)
            throw new ShepherdException("cannot download trace " + url + " into " + cacheDir + ": " + describe(e), e);
        }
    }

    /** What went wrong with a download or a cache write, in words (the JDK leaves many messages empty). */
    static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnresolvedAddressException
                    || t instanceof UnknownHostException) {
                return "cannot connect to " + host(t) + "(offline, or the host is unreachable)";
            }
            if (t instanceof HttpTimeoutException) {
                return "timed out";
            }
            if (t instanceof AccessDeniedException) {
                return "permission denied: " + t.getMessage();
            }
            if (t instanceof FileSystemException fs) {
                return fs.getReason() != null ? fs.getFile() + ": " + fs.getReason() : String.valueOf(fs.getFile());
            }
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? "I/O error" : m;
    }

    private static String host(Throwable t) {
        return t.getMessage() == null || t.getMessage().isBlank() ? "the host " : t.getMessage() + " ";
    }

    /** Returns where {@code url} is (or would be) cached. */
    public Path cacheFile(String url) {
        String name = url.substring(url.lastIndexOf('/') + 1).replaceAll("[^A-Za-z0-9._-]", "_");
        return cacheDir.resolve(sha256(url).substring(0, 16) + "-" + (name.isEmpty() ? "trace.csv" : name));
    }

    private static void download(String url, Path to) throws IOException {
        System.err.println("downloading " + url + " (once; cached afterwards)");
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(5)).GET().build();
        try {
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw new IOException("HTTP " + response.statusCode());
                }
                Files.copy(body, to, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (IllegalArgumentException e) {
            throw new IOException("bad URL: " + e.getMessage(), e);
        }
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
