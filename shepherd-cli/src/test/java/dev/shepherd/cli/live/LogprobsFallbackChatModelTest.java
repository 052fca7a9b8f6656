package dev.shepherd.cli.live;

import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.RateLimitException;
import dev.shepherd.llamacpp.PromptTooLongException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LogprobsFallbackChatModelTest {

    @Test
    void should_take_a_4xx_mentioning_logprobs_as_a_refusal_at_any_time() {
        InvalidRequestException e = new InvalidRequestException(new HttpException(400,
                "{\"error\":{\"message\":\"top_logprobs is not supported\"}}"));
        assertThat(LogprobsFallbackChatModel.refusal(e, false)).isEqualTo("HTTP 400 mentioning logprobs");
        assertThat(LogprobsFallbackChatModel.refusal(new HttpException(422, "logprobs: unknown field"), false))
                .isEqualTo("HTTP 422 mentioning logprobs");
    }

    @Test
    void should_take_another_4xx_as_a_refusal_only_on_the_first_call() {
        InvalidRequestException e = new InvalidRequestException(new HttpException(400, "bad request"));
        assertThat(LogprobsFallbackChatModel.refusal(e, true)).isEqualTo("HTTP 400 on the first call with logprobs");
        assertThat(LogprobsFallbackChatModel.refusal(e, false)).isNull();
    }

    @Test
    void should_not_take_auth_rate_limit_server_errors_or_failures_without_status_as_a_refusal() {
        assertThat(LogprobsFallbackChatModel.refusal(new AuthenticationException(new HttpException(401, "no key")),
                true)).isNull();
        assertThat(LogprobsFallbackChatModel.refusal(new RateLimitException(new HttpException(429, "slow down")),
                true)).isNull();
        assertThat(LogprobsFallbackChatModel.refusal(new HttpException(404, "model not found"), true)).isNull();
        assertThat(LogprobsFallbackChatModel.refusal(new HttpException(500, "logprobs crashed"), true)).isNull();
        assertThat(LogprobsFallbackChatModel.refusal(new RuntimeException("connection refused"), true)).isNull();
    }

    @Test
    void should_not_take_a_prompt_that_is_too_long_as_a_refusal() {
        // given: a local length check and a backend's context-length 400, both on the first call
        PromptTooLongException local = new PromptTooLongException(900, 512);
        InvalidRequestException remote = new InvalidRequestException(new HttpException(400,
                "{\"error\":{\"message\":\"This model's maximum context length is 4096 tokens\"}}"));
        // when / then
        assertThat(LogprobsFallbackChatModel.refusal(local, true)).isNull();
        assertThat(LogprobsFallbackChatModel.refusal(remote, true)).isNull();
    }
}
