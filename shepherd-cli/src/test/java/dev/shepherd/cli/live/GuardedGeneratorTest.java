package dev.shepherd.cli.live;

import dev.shepherd.core.ModelCallException;
import dev.shepherd.core.SpendLimitExceededException;
import dev.shepherd.core.cost.CostModel;
import dev.shepherd.core.cost.TokenPrices;
import dev.shepherd.core.model.Completion;
import dev.shepherd.core.model.FinishReason;
import dev.shepherd.core.model.GenerationRequest;
import dev.shepherd.core.model.Generator;
import dev.shepherd.core.model.ModelRole;
import dev.shepherd.core.model.PromptMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GuardedGeneratorTest {

    @TempDir
    Path dir;

    final List<GenerationRequest> seen = new ArrayList<>();
    final Generator echo = new Generator() {
        @Override
        public String name() {
            return "openai:big";
        }

        @Override
        public Completion generate(GenerationRequest request) {
            seen.add(request);
            return Completion.of("ok", 10, 5, FinishReason.STOP);
        }
    };

    static GenerationRequest ask(Integer max) {
        return GenerationRequest.builder().messages(List.of(PromptMessage.user("What is 2 + 2?")))
                .maxOutputTokens(max).build();
    }

    @Test
    void should_give_every_request_without_a_cap_the_models_cap_and_keep_a_smaller_one() {
        // given
        GuardedGenerator g = new GuardedGenerator(echo, ModelRole.LARGE, "http://x/v1", 32, null);
        // when
        g.generate(ask(null));
        g.generate(ask(5));
        // then
        assertThat(seen).extracting(GenerationRequest::maxOutputTokens).containsExactly(32, 5);
    }

    @Test
    void should_use_gguf_max_tokens_as_the_large_models_cap_of_an_in_process_model() throws IOException {
        // given
        Path gguf = Files.createFile(dir.resolve("big.gguf"));
        ModelSpec large = new ModelSpec(ModelRole.LARGE, Provider.GGUF, null, null, null, gguf);
        ModelSpec small = new ModelSpec(ModelRole.SMALL, Provider.OPENAI, "http://x/v1", "s", null, null);
        // when
        ModelSetup setup = new ModelSetup(small, large, CostModel.localSmall(TokenPrices.perMillion(1, 1)), 2048, 32);
        // then
        assertThat(setup.maxOutputTokens(ModelRole.LARGE)).isEqualTo(32);
        assertThat(setup.maxOutputTokens(ModelRole.SMALL)).isEqualTo(ModelSetup.DEFAULT_MAX_OUTPUT_TOKENS);
    }

    @Test
    void should_refuse_a_call_whose_worst_case_would_pass_the_budget_and_settle_actual_costs() {
        // given: $1 per M tokens both ways; a call's bound is its prompt bytes + 16 plus its cap
        Budget budget = Budget.of(0.001, CostModel.localSmall(TokenPrices.perMillion(1, 1)));
        GuardedGenerator g = new GuardedGenerator(echo, ModelRole.LARGE, "http://x/v1", 100, budget);
        // when: each call may cost (14 + 16 + 100) / 1e6 and costs (10 + 5) / 1e6
        for (int i = 0; i < 50; i++) {
            g.generate(ask(null));
        }
        // then
        assertThat(budget.spentUsd()).isCloseTo(50 * 15e-6, org.assertj.core.data.Offset.offset(1e-12));
        assertThatThrownBy(() -> {
            for (int i = 0; i < 100; i++) {
                g.generate(ask(null));
            }
        }).isInstanceOf(SpendLimitExceededException.class).hasMessageContaining("--max-cost $0.001000 reached")
                .hasMessageContaining("large model openai:big");
        assertThat(budget.spentUsd()).isLessThanOrEqualTo(0.001);
    }

    @Test
    void should_name_the_endpoint_and_no_java_class_when_a_call_fails() {
        // given
        Generator broken = new Generator() {
            @Override
            public String name() {
                return "openai:big";
            }

            @Override
            public Completion generate(GenerationRequest request) {
                throw new ModelCallException(ModelRole.LARGE, "openai:big", "connection failed (RuntimeException): "
                        + "java.net.ConnectException", new RuntimeException(new ConnectException()));
            }
        };
        GuardedGenerator g = new GuardedGenerator(broken, ModelRole.LARGE, "http://127.0.0.1:9/v1", 100, null);
        // then
        assertThatThrownBy(() -> g.generate(ask(null))).isInstanceOf(ModelCallException.class)
                .hasMessage("large model 'openai:big' failed: connection refused or unreachable "
                        + "(endpoint http://127.0.0.1:9/v1)");
    }
}
