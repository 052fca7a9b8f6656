package dev.shepherd.server.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Writes server-sent events ({@code data: <json>\n\n}, as {@link StreamChunks} makes them) to a Jetty
 * response without making the caller wait. The status and the event-stream headers go out with the first
 * event, so an error found before it is still answered with a proper HTTP status.
 *
 * <p>An event is written at once when no write is in flight. Events that come while one is (a client
 * slower than the model) are joined and go out in one write when it completes, so the model client's I/O
 * thread that delivers the partials never waits on the caller's socket, and what is held is at most the
 * rest of one answer. {@link #end} sends the last events and the end of the stream in one write. A client
 * that went away turns the rest into no-ops. Thread-safe: events may come from any thread.
 */
final class SseWriter implements Callback {

    private final Response response;
    private final List<byte[]> pending = new ArrayList<>();
    private boolean started;
    private boolean gone;
    /** A write is in flight; its completion sends what is pending. */
    private boolean writing;
    /** The write in flight (or done) is the last one. */
    private boolean lastWritten;
    /** Completes the exchange once the last write is done; set by {@link #end}. */
    private Callback end;

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

    /** Sends one event: now, or with the next write when one is in flight. */
    synchronized void event(byte[] event) {
        if (gone || end != null) {
            return;
        }
        start();
        if (writing) {
            pending.add(event);
        } else {
            write(false, ByteBuffer.wrap(event));
        }
    }

    /** Sends {@code lastEvents} and ends the stream in one write; {@code callback} completes the exchange. */
    synchronized void end(Callback callback, byte[]... lastEvents) {
        if (end != null) {
            return;
        }
        start();
        end = callback;
        if (gone) {
            response.write(true, null, callback); // fails the exchange as the broken connection says
            return;
        }
        pending.addAll(List.of(lastEvents));
        if (!writing) {
            write(true, drain());
        }
    }

    @Override
    public void succeeded() {
        Callback done;
        synchronized (this) {
            writing = false;
            if (!lastWritten && (!pending.isEmpty() || end != null)) {
                write(end != null, drain());
                return;
            }
            done = lastWritten ? end : null;
        }
        if (done != null) {
            done.succeeded();
        }
    }

    @Override
    public void failed(Throwable x) {
        Callback done;
        synchronized (this) {
            writing = false;
            gone = true;
            pending.clear();
            done = end;
        }
        if (done != null) {
            done.failed(x);
        }
    }

    private void write(boolean last, ByteBuffer content) {
        writing = true;
        lastWritten = last;
        response.write(last, content, this);
    }

    private ByteBuffer drain() {
        if (pending.size() == 1) {
            ByteBuffer one = ByteBuffer.wrap(pending.get(0));
            pending.clear();
            return one;
        }
        int size = 0;
        for (byte[] e : pending) {
            size += e.length;
        }
        ByteBuffer all = ByteBuffer.allocate(size);
        for (byte[] e : pending) {
            all.put(e);
        }
        pending.clear();
        return all.flip();
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
