package dev.shepherd.llamacpp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.NonRetriableException;
import dev.shepherd.core.ShepherdException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ExceptionsTest {

    @Test
    void should_throw_langchain4j_request_errors_from_chat_and_shepherd_errors_from_build() {
        // given / when
        PromptTooLongException tooLong = new PromptTooLongException(300, 256);
        InferenceException engine = new InferenceException("tiny.gguf", new RuntimeException("kv cache full"));
        ModelLoadException load = new ModelLoadException(Path.of("missing.gguf"), "the file does not exist");

        // then: what chat() throws is LangChain4j's, so LangChain4j callers and retries treat it as such
        assertThat(tooLong).isInstanceOf(InvalidRequestException.class);
        assertThat(tooLong.promptTokens()).isEqualTo(300);
        assertThat(tooLong.contextSize()).isEqualTo(256);
        assertThat(engine).isInstanceOf(NonRetriableException.class).hasMessageContaining("tiny.gguf");
        // what the builder throws is shepherd's
        assertThat(load).isInstanceOf(ShepherdException.class);
    }
}
