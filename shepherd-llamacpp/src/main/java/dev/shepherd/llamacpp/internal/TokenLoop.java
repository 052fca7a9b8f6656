package dev.shepherd.llamacpp.internal;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaIterator;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import dev.langchain4j.model.output.FinishReason;
import java.util.List;

/**
 * Drives one streamed llama.cpp completion and counts its tokens. Not thread-safe: the caller
 * holds the model's lock.
 *
 * <p>In stream mode de.kherud:llama 4.2.0 (llama.cpp b4916) yields one piece per decoded token,
 * then a final piece with empty text. The end-of-sequence token arrives as an empty piece just
 * before the final one. The engine stops after exactly {@code n_predict} decoded tokens. Stop
 * sequences are matched here rather than in the engine, so that the loop knows which one matched
 * and can tell a stop from a cap.
 */
public final class TokenLoop {

    /**
     * What one completion produced.
     *
     * @param text generated text, stop sequence excluded
     * @param outputTokens tokens generated (the end-of-sequence token is not counted)
     * @param finishReason {@code LENGTH} when the cap ended generation, {@code STOP} otherwise
     * @param stopSequence the stop sequence that matched, or null
     */
    public record Result(String text, int outputTokens, FinishReason finishReason, String stopSequence) {}

    /** One streamed piece; {@code last} marks the engine's final, token-less result. */
    public record Piece(String text, boolean last) {}

    /** A stream of pieces that can be cancelled early. */
    public interface Pieces {

        /** The next piece, or null when the stream has ended. */
        Piece next();

        /** Stops generation; no further pieces are read. */
        void cancel();
    }

    private TokenLoop() {}

    /** Runs one completion of the engine; see {@link #run(Pieces, int, List)}. */
    public static Result run(LlamaModel model, InferenceParameters parameters, int cap, List<String> stopSequences) {
        LlamaIterator iterator = model.generate(parameters).iterator();
        Pieces pieces = new Pieces() {
            @Override
            public Piece next() {
                if (!iterator.hasNext()) {
                    return null;
                }
                LlamaOutput output = iterator.next();
                return new Piece(output.text, !iterator.hasNext());
            }

            @Override
            public void cancel() {
                iterator.cancel();
            }
        };
        try {
            return run(pieces, cap, stopSequences);
        } catch (RuntimeException | Error e) {
            // leave no orphan task generating in the engine after a failure
            try {
                iterator.cancel();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * Collects pieces until the final one or a stop sequence.
     *
     * @param pieces the streamed pieces
     * @param cap the output token cap the engine was given
     * @param stopSequences stop sequences, each non-empty
     */
    public static Result run(Pieces pieces, int cap, List<String> stopSequences) {
        int longestStop = stopSequences.stream().mapToInt(String::length).max().orElse(0);
        StringBuilder text = new StringBuilder();
        int tokens = 0;
        boolean lastTokenEmpty = false;
        for (Piece piece = pieces.next(); piece != null; piece = pieces.next()) {
            if (piece.last()) {
                text.append(piece.text());
                break;
            }
            tokens++;
            lastTokenEmpty = piece.text().isEmpty();
            int searchFrom = Math.max(0, text.length() - longestStop + 1);
            text.append(piece.text());
            if (longestStop > 0) {
                StopMatch match = firstStop(text, searchFrom, stopSequences);
                if (match != null) {
                    pieces.cancel();
                    text.setLength(match.index);
                    return new Result(text.toString(), tokens, FinishReason.STOP, match.sequence);
                }
            }
        }
        if (tokens == 0) {
            return new Result(text.toString(), 0, FinishReason.STOP, null);
        }
        if (lastTokenEmpty) {
            return new Result(text.toString(), tokens - 1, FinishReason.STOP, null);
        }
        // The engine only ends a stream without EOS by reaching n_predict; fewer pieces than the
        // cap means a token ended inside a UTF-8 character and was merged into the next piece.
        return new Result(text.toString(), cap, FinishReason.LENGTH, null);
    }

    private record StopMatch(int index, String sequence) {}

    private static StopMatch firstStop(CharSequence text, int from, List<String> stopSequences) {
        String haystack = text.toString();
        StopMatch best = null;
        for (String stop : stopSequences) {
            int index = haystack.indexOf(stop, from);
            if (index >= 0 && (best == null || index < best.index)) {
                best = new StopMatch(index, stop);
            }
        }
        return best;
    }
}
