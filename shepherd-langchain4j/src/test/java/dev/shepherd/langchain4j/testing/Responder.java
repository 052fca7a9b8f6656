package dev.shepherd.langchain4j.testing;

/**
 * Scripts a fake server: the full answer text for a request, before the server truncates it to
 * the request's output cap. Must be thread-safe when the server is called concurrently.
 */
@FunctionalInterface
public interface Responder {

    /** The complete answer to {@code request}; {@code ""} produces an empty answer. */
    String respond(FakeChatRequest request);

    /** Always the same answer. */
    static Responder fixed(String answer) {
        return request -> answer;
    }
}
