package dev.shepherd.cli.world;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.LogProb;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiChatResponseMetadata;
import dev.langchain4j.model.output.FinishReason;
import dev.shepherd.cli.CliRun;
import dev.shepherd.cli.SharedFiles;
import dev.shepherd.cli.dataset.TaskKind;
import dev.shepherd.cli.eval.Prompts;
import dev.shepherd.cli.world.QuestionBank.Question;
import dev.shepherd.core.model.Entropy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@link HintWorld} driven over HTTP by the real LangChain4j {@link OpenAiChatModel} (and once by the CLI).
 * Needs {@code ../shared/data/gsm8k_test.jsonl}; skips without it.
 */
class HintWorldIT {

    static final int SAMPLES = 30;

    static Path file;
    static HintWorld world;
    static Simulation sim;

    @BeforeAll
    static void start() throws IOException {
        file = SharedFiles.require("data/gsm8k_test.jsonl");
        world = HintWorld.start(HintWorld.Config.builder().gsm8k(file).seed(7).build());
        sim = world.simulation();
    }

    @AfterAll
    static void stop() {
        if (world != null) {
            world.close();
        }
    }

    @BeforeEach
    void reset() {
        world.resetUsage();
    }

    @Test
    void should_answer_the_gsm8k_solution_from_the_large_model() throws IOException {
        // given the first question of the file, verbatim
        String[] first;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            var node = new ObjectMapper().readTree(r.readLine());
            first = new String[] {node.get("question").asText(), node.get("answer").asText()};
        }
        Question q = world.bank().get(first[0]);
        String prompt = prompt(q, null);
        // when
        ChatResponse r = chat(model(world, "world-large", false), List.of(UserMessage.from(prompt)), 0.0, null);
        // then
        assertThat(r.aiMessage().text()).isEqualTo(q.solution());
        if (q.largeCorrect()) {
            assertThat(r.aiMessage().text()).isEqualTo(first[1]);
        }
        assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(r.tokenUsage().outputTokenCount()).isEqualTo(q.solutionTokens());
        assertThat(r.tokenUsage().inputTokenCount()).isEqualTo(WorldTokens.count(prompt));
        assertThat(world.largeUsage()).isEqualTo(new HintWorld.Usage(1, 0, WorldTokens.count(prompt), q.solutionTokens()));
        assertThat(world.smallUsage().requests()).isZero();
    }

    @Test
    void should_give_a_wrong_final_number_on_about_a_tenth_of_the_questions() {
        List<Question> all = world.bank().questions();
        long wrong = all.stream().filter(q -> !q.largeCorrect()).count();
        assertThat((double) wrong / all.size()).isBetween(0.07, 0.13);
        Question q = pick(x -> !x.largeCorrect());
        String text = chat(model(world, "world-large", false), List.of(UserMessage.from(prompt(q, null))), 0.0, null)
                .aiMessage().text();
        assertThat(text).endsWith("#### " + q.largeFinal()).doesNotEndWith("#### " + q.gold());
    }

    @Test
    void should_truncate_to_max_tokens_and_report_length_also_exactly_at_the_cap() {
        Question q = pick(x -> x.solutionTokens() > 20);
        ChatModel large = model(world, "world-large", false);
        List<ChatMessage> msgs = List.of(UserMessage.from(prompt(q, null)));
        int n = q.solutionTokens();

        ChatResponse cut = chat(large, msgs, 0.0, 10);
        assertThat(cut.aiMessage().text()).isEqualTo(WorldTokens.truncate(q.solution(), 10));
        assertThat(cut.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(cut.tokenUsage().outputTokenCount()).isEqualTo(10);

        ChatResponse exact = chat(large, msgs, 0.0, n);
        assertThat(exact.aiMessage().text()).isEqualTo(q.solution());
        assertThat(exact.finishReason()).isEqualTo(FinishReason.LENGTH);

        ChatResponse roomy = chat(large, msgs, 0.0, n + 1);
        assertThat(roomy.aiMessage().text()).isEqualTo(q.solution());
        assertThat(roomy.finishReason()).isEqualTo(FinishReason.STOP);
    }

    @Test
    void should_succeed_more_often_as_the_hint_share_grows() {
        // given a question that needs 15-25 % of the large answer
        Question q = pick(x -> x.largeCorrect() && x.difficulty() >= 0.15 && x.difficulty() <= 0.25
                && x.solutionTokens() >= 30);
        ChatModel large = model(world, "world-large", false);
        ChatModel small = model(world, "world-small", false);
        double[] rates = new double[3];
        double[] shares = {0, 0.3, 0.9};
        for (int i = 0; i < shares.length; i++) {
            int n = (int) Math.floor(shares[i] * q.solutionTokens());
            String hint = n == 0 ? null
                    : chat(large, List.of(UserMessage.from(prompt(q, null))), 0.0, n).aiMessage().text();
            int ok = 0;
            for (int k = 0; k < SAMPLES; k++) {
                String text = chat(small, List.of(UserMessage.from(prompt(q, hint))), 0.3, null).aiMessage().text();
                ok += text.endsWith("#### " + q.gold()) ? 1 : 0;
            }
            rates[i] = (double) ok / SAMPLES;
        }
        assertThat(rates[0]).isLessThan(0.25);
        assertThat(rates[1]).isGreaterThan(0.7).isGreaterThan(rates[0]);
        assertThat(rates[2]).isGreaterThan(0.7);
        assertThat(sim.successProbability(q, 0)).isLessThan(sim.successProbability(q, 0.1))
                .isLessThan(sim.successProbability(q, 0.3));
        assertThat(world.smallUsage().requests()).isEqualTo(3L * SAMPLES);
    }

    @Test
    void should_continue_a_prefilled_assistant_hint() {
        Question q = pick(x -> x.largeCorrect() && x.difficulty() >= 0.3 && x.difficulty() <= 0.6
                && x.solutionTokens() >= 30);
        int n = (int) Math.floor(0.9 * q.solutionTokens());
        String hint = WorldTokens.truncate(q.solution(), n);
        ChatModel small = model(world, "world-small", false);
        int ok = 0;
        for (int k = 0; k < 20; k++) {
            String text = chat(small, List.of(UserMessage.from(prompt(q, null)), AiMessage.from(hint)), 0.3, null)
                    .aiMessage().text();
            assertThat(text).startsWith("\nContinuing");
            ok += (hint + text).endsWith("#### " + q.gold()) ? 1 : 0;
        }
        assertThat(ok).isGreaterThan(14);
        // without the hint the same question mostly fails
        assertThat(sim.successProbability(q, 0)).isLessThan(0.1);
    }

    @Test
    void should_be_deterministic_at_temperature_zero_and_vary_above() {
        Uncertain u = uncertain();
        ChatModel small = model(world, "world-small", false);
        List<ChatMessage> msgs = List.of(UserMessage.from(prompt(u.q, u.hint)));
        Set<String> greedy = new HashSet<>();
        for (int k = 0; k < 5; k++) {
            greedy.add(chat(small, msgs, 0.0, null).aiMessage().text());
        }
        assertThat(greedy).hasSize(1);
        Set<String> finals = new HashSet<>();
        Set<String> texts = new HashSet<>();
        for (int k = 0; k < 20; k++) {
            String t = chat(small, msgs, 0.3, null).aiMessage().text();
            texts.add(t);
            finals.add(t.substring(t.lastIndexOf("####")));
        }
        assertThat(finals).contains("#### " + u.q.gold()).hasSizeGreaterThan(1);
        assertThat(texts).hasSizeGreaterThan(2);
    }

    @Test
    void should_return_higher_token_entropy_on_an_uncertain_prompt() {
        Question sure = pick(x -> sim.successProbability(x, 0) > 0.93);
        Uncertain u = uncertain();
        ChatModel small = model(world, "world-small", true);
        double[] means = new double[2];
        for (int k = 0; k < 5; k++) {
            means[0] += meanEntropy(chat(small, List.of(UserMessage.from(prompt(sure, null))), 0.3, null)) / 5;
            means[1] += meanEntropy(chat(small, List.of(UserMessage.from(prompt(u.q, u.hint))), 0.3, null)) / 5;
        }
        assertThat(means[1]).isGreaterThan(means[0] + 0.3);
        // no logprobs unless asked
        ChatResponse plain = chat(model(world, "world-small", false), List.of(UserMessage.from(prompt(sure, null))),
                0.3, null);
        List<LogProb> none = ((OpenAiChatResponseMetadata) plain.metadata()).logProbs();
        assertThat(none == null || none.isEmpty()).isTrue();
    }

    @Test
    void should_refuse_logprobs_with_http_400_when_configured() throws IOException {
        try (HintWorld refusing = HintWorld.start(HintWorld.Config.builder().gsm8k(file).smallRefusesLogprobs(true)
                .build())) {
            Question q = pick(x -> true);
            List<ChatMessage> msgs = List.of(UserMessage.from(prompt(q, null)));
            assertThatThrownBy(() -> chat(model(refusing, "world-small", true), msgs, 0.3, null))
                    .hasMessageContaining("logprobs are not supported");
            assertThat(meanEntropy(chat(model(refusing, "world-large", true), msgs, 0.0, null))).isPositive();
            assertThat(chat(model(refusing, "world-small", false), msgs, 0.3, null).aiMessage().text()).contains("####");
            assertThat(refusing.smallUsage().errors()).isEqualTo(1);
        }
    }

    @Test
    void should_reject_an_unknown_question_and_an_unknown_model() {
        assertThatThrownBy(() -> chat(model(world, "world-small", false),
                List.of(UserMessage.from(Prompts.forKind(TaskKind.MATH).render("What is 2 + 2?", null))), 0.0, null))
                .hasMessageContaining("unknown question");
        assertThatThrownBy(() -> chat(model(world, "gpt-none", false),
                List.of(UserMessage.from(prompt(pick(x -> true), null))), 0.0, null))
                .hasMessageContaining("does not exist");
    }

    @Test
    void should_spread_difficulty_as_configured_and_partly_predictably() {
        List<Question> all = world.bank().questions();
        double solo = all.stream().filter(q -> !q.needsHint()).count() / (double) all.size();
        double unsolvable = all.stream().filter(q -> q.difficulty() == QuestionBank.UNSOLVABLE).count()
                / (double) all.size();
        List<Question> hinted = all.stream().filter(q -> q.needsHint() && q.difficulty() <= 1).toList();
        double lowHints = hinted.stream().filter(q -> q.difficulty() <= 0.3).count() / (double) hinted.size();
        assertThat(solo).isBetween(0.58, 0.72);
        assertThat(unsolvable).isBetween(0.005, 0.04);
        assertThat(lowHints).isGreaterThan(0.5);
        // the length of a question tells something, not everything, about whether it needs a hint
        double r = correlation(all.stream().mapToDouble(q -> Math.log(q.words())).toArray(),
                all.stream().mapToDouble(q -> q.needsHint() ? 1 : 0).toArray());
        assertThat(r).isBetween(0.1, 0.7);
    }

    @Test
    void should_serve_the_cli_through_its_model_flags() {
        Question q = pick(x -> x.largeCorrect() && !x.needsHint());
        List<String> args = new ArrayList<>(List.of("ask", q.question(), "--policy", "llm-only"));
        args.addAll(world.cliFlags());
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("#### " + q.gold());
        assertThat(world.largeUsage().requests()).isEqualTo(1);
    }

    @Test
    void should_parse_main_options() {
        HintWorld.Config c = HintWorld.parse(new String[] {"--gsm8k", "a.jsonl,b.jsonl", "--seed", "3", "--port=9",
            "--small-refuses-logprobs", "--p-ceil", "0.9"}, System.out);
        assertThat(c.gsm8k()).containsExactly(Path.of("a.jsonl"), Path.of("b.jsonl"));
        assertThat(c.seed()).isEqualTo(3);
        assertThat(c.port()).isEqualTo(9);
        assertThat(c.smallRefusesLogprobs()).isTrue();
        assertThat(c.pCeil()).isEqualTo(0.9);
        assertThatThrownBy(() -> HintWorld.parse(new String[] {"--seed", "3"}, System.out))
                .hasMessageContaining("--gsm8k");
    }

    // ------------------------------------------------------------------------------------------------------------

    /** A question and a hint with which the small model's P(success) is near one half. */
    record Uncertain(Question q, String hint) {
    }

    static Uncertain uncertain() {
        for (Question q : world.bank().questions()) {
            if (!q.largeCorrect() || !q.needsHint() || q.difficulty() > 0.6) {
                continue;
            }
            for (int n = 1; n < q.solutionTokens(); n++) {
                double p = sim.successProbability(q, (double) n / q.solutionTokens());
                if (p > 0.4 && p < 0.6) {
                    return new Uncertain(q, WorldTokens.truncate(q.solution(), n));
                }
            }
        }
        throw new AssertionError("no uncertain question");
    }

    static Question pick(Predicate<Question> p) {
        return world.bank().questions().stream().filter(p).findFirst()
                .orElseThrow(() -> new AssertionError("no such question in the world"));
    }

    static String prompt(Question q, String hint) {
        return Prompts.forKind(TaskKind.MATH).render(q.question(), hint);
    }

    static ChatModel model(HintWorld w, String name, boolean logprobs) {
        OpenAiChatModel.OpenAiChatModelBuilder b = OpenAiChatModel.builder().baseUrl(w.baseUrl()).apiKey("test")
                .modelName(name).maxRetries(0);
        if (logprobs) {
            b.logprobs(true).topLogprobs(5);
        }
        return b.build();
    }

    static ChatResponse chat(ChatModel model, List<ChatMessage> messages, double temperature, Integer maxTokens) {
        ChatRequest.Builder r = ChatRequest.builder().messages(messages).temperature(temperature);
        if (maxTokens != null) {
            r.maxOutputTokens(maxTokens);
        }
        return model.chat(r.build());
    }

    static double meanEntropy(ChatResponse r) {
        List<LogProb> tokens = ((OpenAiChatResponseMetadata) r.metadata()).logProbs();
        assertThat(tokens).isNotEmpty();
        double sum = 0;
        for (LogProb t : tokens) {
            sum += Entropy.ofTopLogprobs(t.topLogprobs().stream().mapToDouble(LogProb::logprob).toArray());
        }
        return sum / tokens.size();
    }

    static double correlation(double[] x, double[] y) {
        double mx = 0;
        double my = 0;
        for (int i = 0; i < x.length; i++) {
            mx += x[i] / x.length;
            my += y[i] / y.length;
        }
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxy / Math.sqrt(sxx * syy);
    }
}
