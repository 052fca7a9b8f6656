package dev.shepherd.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.shepherd.core.Query;
import dev.shepherd.core.cost.CostModel;
import dev.shepherd.core.cost.TokenPrices;
import dev.shepherd.core.hint.HintDecisionRule;
import dev.shepherd.core.hint.HintPredictor;
import dev.shepherd.core.policy.ProactiveShepherding;
import dev.shepherd.core.run.Shepherd;
import dev.shepherd.core.run.ShepherdResult;
import dev.shepherd.core.testing.ScriptedGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class ScoreRecorderTest {

    @Test
    void should_accumulate_outcomes_into_a_snapshot() {
        // given
        ScoreRecorder recorder = ScoreRecorder.named("p");

        // when
        recorder.record(true, 0.01, true, 12);
        recorder.record(false, 0.0, false, 0);
        recorder.record(true, 0.02, true, 0);

        // then
        StrategyScore s = recorder.snapshot();
        assertThat(s.queries()).isEqualTo(3);
        assertThat(s.correct()).isEqualTo(2);
        assertThat(s.costUsd()).isCloseTo(0.03, within(1e-15));
        assertThat(s.largeCalls()).isEqualTo(2);
        assertThat(s.hintTokens()).isEqualTo(12);
        assertThat(s.name()).isEqualTo("p");
    }

    @Test
    void should_record_an_executor_result_with_its_hint_tokens_and_cost() {
        // given
        ScriptedGenerator large = ScriptedGenerator.replying("l", "a b c d e f g h");
        Shepherd shepherd = Shepherd.builder().small(ScriptedGenerator.replying("s", "#### 1")).large(large)
                .policy(ProactiveShepherding.builder().predictor(HintPredictor.constant(1, 3))
                        .rule(new HintDecisionRule(0.5, 10, 10)).build())
                .costModel(CostModel.localSmall(TokenPrices.paperLlama70b())).build();
        ShepherdResult result = shepherd.answer(Query.of("q"));
        ScoreRecorder recorder = ScoreRecorder.named("proactive");

        // when
        recorder.record(result, true);

        // then
        assertThat(recorder.snapshot()).isEqualTo(new StrategyScore("proactive", 1, 1, result.costUsd(), 1, 3));
    }

    @Test
    void should_lose_nothing_under_concurrent_recording() throws Exception {
        // given
        ScoreRecorder recorder = ScoreRecorder.named("c");
        int threads = 8;
        int perThread = 2_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread w = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    recorder.record(i % 2 == 0, 0.25, i % 4 == 0, 1);
                }
            });
            workers.add(w);
            w.start();
        }

        // when
        start.countDown();
        for (Thread w : workers) {
            w.join();
        }

        // then
        StrategyScore s = recorder.snapshot();
        assertThat(s.queries()).isEqualTo(threads * perThread);
        assertThat(s.correct()).isEqualTo(threads * perThread / 2);
        assertThat(s.largeCalls()).isEqualTo(threads * perThread / 4);
        assertThat(s.hintTokens()).isEqualTo(threads * perThread);
        assertThat(s.costUsd()).isEqualTo(0.25 * threads * perThread);
    }

    @Test
    void should_reject_bad_outcomes_and_names() {
        ScoreRecorder recorder = ScoreRecorder.named("x");
        assertThatThrownBy(() -> recorder.record(true, Double.NaN, false, 0)).hasMessageContaining("costUsd");
        assertThatThrownBy(() -> recorder.record(true, 0, false, -3)).hasMessageContaining("hintTokens");
        assertThat(recorder.snapshot().queries()).isZero();
        assertThatThrownBy(() -> ScoreRecorder.named(" ")).hasMessageContaining("name");
    }
}
