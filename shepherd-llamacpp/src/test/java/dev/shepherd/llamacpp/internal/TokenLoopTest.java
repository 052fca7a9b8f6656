package dev.shepherd.llamacpp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.model.output.FinishReason;
import dev.shepherd.llamacpp.internal.TokenLoop.Piece;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The counting rules on piece sequences shaped like the engine's (the real engine is exercised in
 * LlamaCppChatModelIT; stories260K never emits an end-of-sequence token, so that case is here).
 */
class TokenLoopTest {

    /** Pieces as the engine streams them: one per token, then a final empty one. */
    private static final class Scripted implements TokenLoop.Pieces {
        private final Deque<Piece> pieces = new ArrayDeque<>();
        int read;
        boolean cancelled;

        Scripted(String... tokens) {
            Arrays.stream(tokens).forEach(t -> pieces.add(new Piece(t, false)));
            pieces.add(new Piece("", true));
        }

        @Override
        public Piece next() {
            if (cancelled) {
                throw new AssertionError("read after cancel");
            }
            read++;
            return pieces.poll();
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    @Test
    void should_report_length_when_the_cap_ended_the_stream() {
        // when
        TokenLoop.Result result = TokenLoop.run(new Scripted(" The", " dog", " ran"), 3, List.of());

        // then
        assertThat(result).isEqualTo(new TokenLoop.Result(" The dog ran", 3, FinishReason.LENGTH, null));
    }

    @Test
    void should_report_stop_and_not_count_the_end_of_sequence_token() {
        // when: the empty piece before the final one is the end-of-sequence token
        TokenLoop.Result result = TokenLoop.run(new Scripted(" The", " end", ""), 10, List.of());

        // then
        assertThat(result).isEqualTo(new TokenLoop.Result(" The end", 2, FinishReason.STOP, null));
    }

    @Test
    void should_count_the_cap_when_a_multibyte_character_merged_two_tokens_into_one_piece() {
        // when: the engine holds back a token ending inside a UTF-8 character, so 3 tokens came as 2 pieces
        TokenLoop.Result result = TokenLoop.run(new Scripted(" a", " ☃"), 3, List.of());

        // then
        assertThat(result.outputTokens()).isEqualTo(3);
        assertThat(result.finishReason()).isEqualTo(FinishReason.LENGTH);
    }

    @Test
    void should_stop_at_a_stop_sequence_split_across_pieces_and_cancel_the_engine() {
        // given
        Scripted pieces = new Scripted(" Hello", " wor", "ld", " and", " more");

        // when
        TokenLoop.Result result = TokenLoop.run(pieces, 10, List.of("world"));

        // then
        assertThat(result).isEqualTo(new TokenLoop.Result(" Hello ", 3, FinishReason.STOP, "world"));
        assertThat(pieces.cancelled).isTrue();
        assertThat(pieces.read).isEqualTo(3);
    }

    @Test
    void should_pick_the_earliest_of_several_stop_sequences() {
        // when
        TokenLoop.Result result = TokenLoop.run(new Scripted(" a. b! c"), 5, List.of("!", "."));

        // then
        assertThat(result.text()).isEqualTo(" a");
        assertThat(result.stopSequence()).isEqualTo(".");
    }

    @Test
    void should_report_nothing_generated_when_the_stream_ends_at_once() {
        // when
        TokenLoop.Result result = TokenLoop.run(new Scripted(), 5, List.of());

        // then
        assertThat(result).isEqualTo(new TokenLoop.Result("", 0, FinishReason.STOP, null));
    }
}
