package dev.shepherd.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shepherd.core.model.Completion;
import dev.shepherd.core.model.FinishReason;
import dev.shepherd.core.model.GenerationRequest;
import dev.shepherd.core.model.PromptMessage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScriptedGeneratorTest {

    private static GenerationRequest request(String text) {
        return GenerationRequest.builder().messages(List.of(PromptMessage.user(text))).build();
    }

    @Test
    void should_reply_in_order_and_repeat_the_last_reply() {
        ScriptedGenerator g = ScriptedGenerator.replying("g", "a", "b");
        assertThat(List.of(g.generate(request("q")).text(), g.generate(request("q")).text(),
                g.generate(request("q")).text())).containsExactly("a", "b", "b");
        assertThat(g.calls()).isEqualTo(3);
    }

    @Test
    void should_count_words_as_tokens_and_cap_the_output() {
        // given
        ScriptedGenerator g = ScriptedGenerator.replying("g", "one  two three four");

        // when
        Completion full = g.generate(request("a b c"));
        Completion capped = g.generate(request("a b c").toBuilder().maxOutputTokens(2).assistantPrefix("p q").build());

        // then
        assertThat(full.inputTokens()).isEqualTo(3);
        assertThat(full.outputTokens()).isEqualTo(4);
        assertThat(full.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(capped.text()).isEqualTo("one  two");
        assertThat(capped.outputTokens()).isEqualTo(2);
        assertThat(capped.inputTokens()).isEqualTo(5);
        assertThat(capped.finishReason()).isEqualTo(FinishReason.LENGTH);
    }

    @Test
    void should_tell_the_script_how_often_the_same_prompt_was_seen() {
        ScriptedGenerator g = ScriptedGenerator.scripted("g", (r, repeat) -> r.messages().get(0).text() + repeat);
        assertThat(g.generate(request("x")).text()).isEqualTo("x0");
        assertThat(g.generate(request("y")).text()).isEqualTo("y0");
        assertThat(g.generate(request("x")).text()).isEqualTo("x1");
    }

    @Test
    void should_attach_token_entropies_only_when_logprobs_are_asked_for() {
        ScriptedGenerator g = ScriptedGenerator.replying("g", "a b").withTokenEntropy(0.7);
        assertThat(g.generate(request("q")).tokenEntropies()).isEmpty();
        assertThat(g.generate(request("q").toBuilder().logprobs(true).build()).tokenEntropies()).containsExactly(0.7, 0.7);
    }

    @Test
    void should_fail_on_demand_and_still_record_the_request() {
        // given
        ScriptedGenerator g = ScriptedGenerator.replying("gen-x", "ok");
        g.failNextCalls(2);

        // when / then
        assertThatThrownBy(() -> g.generate(request("q"))).hasMessage("scripted failure of 'gen-x'");
        assertThatThrownBy(() -> g.generate(request("q"))).isInstanceOf(IllegalStateException.class);
        assertThat(g.generate(request("q")).text()).isEqualTo("ok");
        g.failureType(() -> new UnsupportedOperationException("boom"));
        g.failWhen(r -> r.messages().get(0).text().equals("bad"));
        assertThatThrownBy(() -> g.generate(request("bad"))).isInstanceOf(UnsupportedOperationException.class);
        g.recover();
        assertThat(g.generate(request("bad")).text()).isEqualTo("ok");
        assertThat(g.requests()).hasSize(5);
        assertThat(ScriptedGenerator.failing("f").name()).isEqualTo("f");
    }

    @Test
    void should_record_every_request_from_many_threads() throws Exception {
        ScriptedGenerator g = ScriptedGenerator.scripted("g", (r, repeat) -> "r" + repeat);
        java.util.Set<String> replies = java.util.concurrent.ConcurrentHashMap.newKeySet();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            threads.add(new Thread(() -> {
                for (int i = 0; i < 250; i++) {
                    replies.add(g.generate(request("q")).text());
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        assertThat(g.calls()).isEqualTo(2000);
        // every call of the same prompt got a distinct repeat index
        assertThat(replies).hasSize(2000).contains("r0", "r1999");
    }

    @Test
    void should_reject_a_script_that_returns_null_and_empty_reply_lists() {
        assertThatThrownBy(() -> ScriptedGenerator.answering("g", r -> null).generate(request("q")))
                .hasMessageContaining("'g'");
        assertThatThrownBy(() -> ScriptedGenerator.replying("g")).hasMessageContaining("at least one");
        assertThat(ScriptedGenerator.tokens(" a  b\nc ")).isEqualTo(3);
        assertThat(ScriptedGenerator.tokens(null)).isZero();
    }
}
