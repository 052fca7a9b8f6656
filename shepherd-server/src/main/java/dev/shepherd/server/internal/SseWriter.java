package dev.shepherd.server.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;

/**
 * Writes server-sent events ({@code data: <json>\n\n}) to a Jetty response, each flushed at once. The
 * status and the event-stream headers go out with the first event, so an error found before it is still
 * answered with a proper HTTP status. Writes block until sent; a client that went away turns the rest
 * into no-ops. Thread-safe: events may come from any thread, one at a time.
 */
final class SseWriter {

    private final Response response;
    private boolean started;
    private boolean gone;

    SseWriter(Response response) {
        this.response = response;
    }

    /** Whether the response has started (its status can no longer change). */
    synchronized boolean started() {
        return started;
    }

    /** Whether the client went away. */
    synchronized boolean gone() {
        return gone;
    }

    synchronized void event(String data) {
        if (gone) {
            return;
        }
        start();
        try (Blocker.Callback cb = Blocker.callback()) {
            response.write(false, ByteBuffer.wrap(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8)), cb);
            cb.block();
        } catch (IOException | RuntimeException e) {
            gone = true;
        }
    }

    /** Ends the stream; {@code callback} completes the exchange. */
    synchronized void end(Callback callback) {
        start();
        response.write(true, null, callback);
    }

    private void start() {
        if (!started) {
            started = true;
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream; charset=utf-8");
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
            response.getHeaders().put("X-Accel-Buffering", "no");
        }
    }
}
