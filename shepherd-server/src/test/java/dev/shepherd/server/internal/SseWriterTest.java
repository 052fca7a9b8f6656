package dev.shepherd.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;

class SseWriterTest {

    @Test
    void should_write_at_once_and_join_the_events_that_come_while_a_write_is_in_flight() {
        // given
        FakeResponse response = new FakeResponse();
        SseWriter sse = new SseWriter(response);
        // when
        sse.event(bytes("a"));
        sse.event(bytes("b"));
        sse.event(bytes("c"));
        // then: the first at once with the status and headers, the others wait for it
        assertThat(response.status).isEqualTo(200);
        assertThat(response.headers.get("Content-Type")).isEqualTo("text/event-stream; charset=utf-8");
        assertThat(response.writes).extracting(w -> w.text).containsExactly("a");
        // when
        response.writes.get(0).callback.succeeded();
        // then
        assertThat(response.writes).extracting(w -> w.text).containsExactly("a", "bc");
        assertThat(response.writes.get(1).last).isFalse();
    }

    @Test
    void should_end_with_the_last_events_in_one_last_write_after_the_write_in_flight() {
        // given
        FakeResponse response = new FakeResponse();
        SseWriter sse = new SseWriter(response);
        Done done = new Done();
        sse.event(bytes("a"));
        sse.event(bytes("b"));
        // when
        sse.end(done, bytes("last"), bytes("[DONE]"));
        // then
        assertThat(response.writes).extracting(w -> w.text).containsExactly("a");
        // when
        response.writes.get(0).callback.succeeded();
        // then
        assertThat(response.writes).extracting(w -> w.text).containsExactly("a", "blast[DONE]");
        assertThat(response.writes.get(1).last).isTrue();
        assertThat(done.result).isNull();
        // when
        response.writes.get(1).callback.succeeded();
        // then
        assertThat(done.result).isEqualTo("succeeded");
        sse.event(bytes("late"));
        assertThat(response.writes).hasSize(2);
    }

    @Test
    void should_write_each_event_when_writes_complete_at_once() {
        // given: a socket that takes everything, so Jetty completes each write inside the call
        FakeResponse response = new FakeResponse();
        response.completeInline = true;
        SseWriter sse = new SseWriter(response);
        Done done = new Done();
        // when
        sse.event(bytes("a"));
        sse.event(bytes("b"));
        sse.end(done, bytes("last"), bytes("[DONE]"));
        // then
        assertThat(response.writes).extracting(w -> w.text).containsExactly("a", "b", "last[DONE]");
        assertThat(response.writes).extracting(w -> w.last).containsExactly(false, false, true);
        assertThat(done.result).isEqualTo("succeeded");
    }

    @Test
    void should_drop_the_rest_once_the_client_went_away_and_fail_the_end() {
        // given
        FakeResponse response = new FakeResponse();
        SseWriter sse = new SseWriter(response);
        Done done = new Done();
        sse.event(bytes("a"));
        sse.event(bytes("b"));
        // when
        response.writes.get(0).callback.failed(new IOException("broken pipe"));
        sse.event(bytes("c"));
        sse.end(done, bytes("[DONE]"));
        // then: the end goes to Jetty as an empty last write, which fails the exchange on a broken connection
        assertThat(sse.gone()).isTrue();
        assertThat(response.writes).extracting(w -> w.text).containsExactly("a", "");
        assertThat(response.writes.get(1).last).isTrue();
        assertThat(response.writes.get(1).callback).isSameAs(done);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static final class Done implements Callback {
        String result;

        @Override
        public void succeeded() {
            result = "succeeded";
        }

        @Override
        public void failed(Throwable x) {
            result = "failed: " + x.getMessage();
        }
    }

    private record Write(boolean last, String text, Callback callback) {
    }

    /** Records writes; their callbacks complete when the test says so. */
    private static final class FakeResponse implements Response {
        final List<Write> writes = new ArrayList<>();
        final HttpFields.Mutable headers = HttpFields.build();
        int status;
        boolean completeInline;

        @Override
        public void write(boolean last, ByteBuffer content, Callback callback) {
            String text = content == null ? "" : StandardCharsets.UTF_8.decode(content.slice()).toString();
            writes.add(new Write(last, text, callback));
            if (completeInline) {
                callback.succeeded();
            }
        }

        @Override
        public Request getRequest() {
            return null;
        }

        @Override
        public int getStatus() {
            return status;
        }

        @Override
        public void setStatus(int code) {
            status = code;
        }

        @Override
        public HttpFields.Mutable getHeaders() {
            return headers;
        }

        @Override
        public Supplier<HttpFields> getTrailersSupplier() {
            return null;
        }

        @Override
        public void setTrailersSupplier(Supplier<HttpFields> trailers) {
        }

        @Override
        public boolean isCommitted() {
            return !writes.isEmpty();
        }

        @Override
        public boolean hasLastWrite() {
            return writes.stream().anyMatch(Write::last);
        }

        @Override
        public boolean isCompletedSuccessfully() {
            return false;
        }

        @Override
        public void reset() {
        }

        @Override
        public CompletableFuture<Void> writeInterim(int status, HttpFields headers) {
            return CompletableFuture.completedFuture(null);
        }
    }
}
