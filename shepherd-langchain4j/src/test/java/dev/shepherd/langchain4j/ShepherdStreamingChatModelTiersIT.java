package dev.shepherd.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.shepherd.core.Decision;
import dev.shepherd.core.cost.CostLedger;
import dev.shepherd.core.cost.CostModel;
import dev.shepherd.core.cost.LedgerEntry;
import dev.shepherd.core.cost.TokenPrices;
import dev.shepherd.core.policy.TierCascade;
import dev.shepherd.core.policy.TierRouting;
import dev.shepherd.core.policy.ShepherdingPolicy;
import dev.shepherd.core.tier.TierPredictor;
import dev.shepherd.langchain4j.testing.FakeOpenAiServer;
import dev.shepherd.langchain4j.testing.Fault;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A three-tier {@link ShepherdStreamingChatModel} over real streaming OpenAI clients and fake servers. */
class ShepherdStreamingChatModelTiersIT {

    static final String MID_ANSWER = "The middle tier works it out: 48 + 24 = 72 #### 72";

    final AtomicInteger localSample = new AtomicInteger();
    FakeOpenAiServer local;
    FakeOpenAiServer hosted;
    CostLedger ledger = CostLedger.create();

    @BeforeEach
    void start() {
        local = FakeOpenAiServer.builder().knownModels("llama3.2:3b")
                .responder(req -> "I think #### " + localSample.incrementAndGet()).build();
        hosted = FakeOpenAiServer.builder().knownModels("llama-3.1-8b", "gpt-4o")
                .responder(req -> req.model().equals("gpt-4o") ? "frontier #### 72" : MID_ANSWER).build();
    }

    @AfterEach
    void stop() {
        local.close();
        hosted.close();
    }

    ShepherdStreamingChatModel threeTiers(ShepherdingPolicy policy) {
        return ShepherdStreamingChatModel.builder()
                .tiers(StreamingChatModelTier.of("local", Clients.openAiStreaming(local, "llama3.2:3b"),
                                TokenPrices.free()),
                        StreamingChatModelTier.of("mid", Clients.openAiStreaming(hosted, "llama-3.1-8b"),
                                TokenPrices.perMillion(0.05, 0.08)),
                        StreamingChatModelTier.of("frontier", Clients.openAiStreaming(hosted, "gpt-4o"),
                                TokenPrices.perMillion(2.50, 10.00)))
                .policy(policy).ledger(ledger).build();
    }

    @Test
    void should_stream_the_middle_tiers_answer_token_by_token_and_name_the_tier() throws Exception {
        // given: the router sends the query to the middle tier (the cheapest whose probability clears 0.8)
        ShepherdStreamingChatModel model = threeTiers(TierRouting.builder()
                .predictor(TierPredictor.constant(0.2, 0.9, 0.99)).threshold(0.8).build());
        PartialsCollector handler = new PartialsCollector();

        // when
        model.chat("How many clips did Natalia sell altogether?", handler);
        ChatResponse response = handler.await();

        // then: the middle tier's tokens stream as they arrive, and metadata and ledger name it
        assertThat(handler.partials).hasSizeGreaterThan(1);
        assertThat(String.join("", handler.partials)).isEqualTo(MID_ANSWER);
        assertThat(response.aiMessage().text()).isEqualTo(MID_ANSWER);
        ShepherdChatResponseMetadata md = (ShepherdChatResponseMetadata) response.metadata();
        assertThat(md.answeredByTier()).isEqualTo("mid");
        assertThat(md.modelName()).contains("llama-3.1-8b");
        assertThat(md.decision()).isEqualTo(Decision.largeFull());
        assertThat(md.notes()).contains("routed to mid");
        assertThat(local.requestCount()).isZero();
        assertThat(hosted.requests()).singleElement().satisfies(req -> {
            assertThat(req.model()).isEqualTo("llama-3.1-8b");
            assertThat(req.stream()).isTrue();
        });
        LedgerEntry e = ledger.entries().get(0);
        assertThat(e.answeredBy().tier()).isEqualTo("mid");
        assertThat(e.costByTier()).containsOnlyKeys("mid");
        assertThat(md.costUsd()).isEqualTo(e.costUsd()).isPositive();
    }

    @Test
    void should_let_the_bottom_tier_continue_a_middle_tiers_answer_that_fails_mid_stream() throws Exception {
        // given: the middle tier's stream drops after three tokens; the bottom tier continues from them
        hosted.faultNext(Fault.cutStreamAfter(3));
        local.responder(req -> " is what the local model adds: 72");
        ShepherdStreamingChatModel model = threeTiers(TierRouting.builder()
                .predictor(TierPredictor.constant(0.2, 0.9, 0.99)).threshold(0.8).build());
        PartialsCollector handler = new PartialsCollector();

        // when
        model.chat("How many clips did Natalia sell altogether?", handler);
        ChatResponse response = handler.await();

        // then: no restart: the caller's text is one answer, the middle tier's start and the bottom's rest
        String text = String.join("", handler.partials);
        assertThat(text).isEqualTo(response.aiMessage().text()).endsWith(" is what the local model adds: 72");
        String sent = text.substring(0, text.indexOf(" is what"));
        assertThat(MID_ANSWER).startsWith(sent);
        assertThat(local.lastRequest().lastMessage().role()).isEqualTo("assistant");
        assertThat(local.lastRequest().lastMessage().content()).isEqualTo(sent);
        ShepherdChatResponseMetadata md = (ShepherdChatResponseMetadata) response.metadata();
        assertThat(md.notes()).contains("llm-unavailable", LiveStream.NOTE_CONTINUED);
        assertThat(ledger.entries()).singleElement().satisfies(e -> assertThat(e.calls())
                .extracting(c -> c.tier() + " " + c.purpose() + " " + c.failed())
                .containsExactly("mid ANSWER true", "local ANSWER false"));
    }

    @Test
    void should_climb_the_streaming_ladder_and_send_the_agreed_answer_of_the_tier_that_answered() throws Exception {
        // given: the local samples disagree, the middle tier's agree
        ShepherdStreamingChatModel model = threeTiers(TierCascade.builder().samples(3).agreement(2).build());
        PartialsCollector handler = new PartialsCollector();

        // when
        model.chat("How many clips did Natalia sell altogether?", handler);
        ChatResponse response = handler.await();

        // then: samples never stream; the agreed answer arrives whole; the frontier is never paid
        assertThat(handler.partials).containsExactly(MID_ANSWER);
        assertThat(response.aiMessage().text()).isEqualTo(MID_ANSWER);
        ShepherdChatResponseMetadata md = (ShepherdChatResponseMetadata) response.metadata();
        assertThat(md.answeredByTier()).isEqualTo("mid");
        assertThat(md.notes()).containsExactly("local disagreed 1/3", "mid agreed 3/3");
        assertThat(hosted.requests()).hasSize(3).allMatch(req -> req.model().equals("llama-3.1-8b"));
        assertThat(ledger.entries()).singleElement().satisfies(entry -> {
            assertThat(entry.answeredBy().tier()).isEqualTo("mid");
            assertThat(entry.costByTier()).containsOnlyKeys("local", "mid");
        });
    }

    @Test
    void should_refuse_tiers_mixed_with_small_large_or_a_cost_model() {
        var tier = StreamingChatModelTier.of("a", Clients.openAiStreaming(local, "llama3.2:3b"), TokenPrices.free());
        var policy = TierCascade.builder().build();
        assertThatThrownBy(() -> ShepherdStreamingChatModel.builder().tiers(tier))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 2 tiers");
        assertThatThrownBy(() -> ShepherdStreamingChatModel.builder().tiers(tier, tier).policy(policy)
                .small(Clients.openAiStreaming(local, "x")).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not both");
        assertThatThrownBy(() -> ShepherdStreamingChatModel.builder().tiers(tier, tier).policy(policy)
                .costModel(CostModel.localSmall(TokenPrices.free())).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("do not set costModel");
    }
}
