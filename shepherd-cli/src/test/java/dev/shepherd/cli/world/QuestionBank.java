package dev.shepherd.cli.world;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The GSM8K questions the {@link HintWorld} knows, indexed by their whitespace-normalised text, each with its
 * simulated profile: the large model's answer (the GSM8K solution, with a wrong final number for a seeded
 * {@link HintWorld.Config#largeWrongShare()} of questions) and the difficulty d_q (the share of that answer the small
 * model needs as a hint). Everything is a deterministic function of the question text and the seed.
 *
 * <p>Immutable after loading and thread-safe.
 */
public final class QuestionBank {

    /** d_q of a question the small model cannot solve even with 90 % of the large answer as a hint. */
    public static final double UNSOLVABLE = Double.POSITIVE_INFINITY;

    // Standardisation of the difficulty features, measured once on GSM8K train + test (8,792 questions):
    // ln(words) mean 3.744 sd 0.3675; numbers mean 3.345 sd 1.724; sd of 0.6·z_words + 0.4·z_numbers = 0.83.
    private static final double LN_WORDS_MEAN = 3.744;
    private static final double LN_WORDS_SD = 0.3675;
    private static final double NUMBERS_MEAN = 3.345;
    private static final double NUMBERS_SD = 1.724;
    private static final double FEATURE_SD = 0.83;
    private static final Pattern NUMBER = Pattern.compile("\\d+(?:[.,]\\d+)*");
    private static final Pattern ANNOTATION = Pattern.compile("<<[^<>]*>>");
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One known question and its simulated profile.
     *
     * @param key the whitespace-normalised question (the index key)
     * @param question the question as in the file
     * @param gold the gold answer after {@code ####}, verbatim
     * @param solution the large model's full answer (the GSM8K solution, final number possibly wrong)
     * @param solutionWords the words of {@code solution} ({@link WorldTokens#words})
     * @param largeCorrect whether the large model's final number is the gold one
     * @param largeFinal the large model's final number
     * @param difficulty d_q: 0 (solves alone), a share in (0, 1), or {@link #UNSOLVABLE}
     * @param solo for d_q = 0, the small model's effective need in [-0.1, 0] (more negative: surer); else d_q
     * @param typicalWrong the wrong number the small model most often gives on this question
     * @param words the question's word count
     * @param numbers how many numbers the question holds
     */
    public record Question(String key, String question, String gold, String solution, List<String> solutionWords,
                           boolean largeCorrect, String largeFinal, double difficulty, double solo,
                           String typicalWrong, int words, int numbers) {

        /** The large model's answer length in tokens. */
        public int solutionTokens() {
            return solutionWords.size();
        }

        /** Whether the small model needs a hint (d_q &gt; 0). */
        public boolean needsHint() {
            return difficulty > 0;
        }
    }

    private final Map<String, Question> byKey;
    private final int duplicates;

    private QuestionBank(Map<String, Question> byKey, int duplicates) {
        this.byKey = Collections.unmodifiableMap(byKey);
        this.duplicates = duplicates;
    }

    /**
     * Reads GSM8K JSONL files ({@code {"question", "answer"}} per line, the answer ending {@code #### <number>}).
     * The first occurrence of a question wins.
     *
     * @throws IOException when a file cannot be read
     * @throws IllegalArgumentException naming file and line of a malformed record
     */
    static QuestionBank load(List<Path> files, HintWorld.Config config) throws IOException {
        Map<String, Question> map = new LinkedHashMap<>();
        int dups = 0;
        for (Path file : files) {
            try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String line;
                int no = 0;
                while ((line = r.readLine()) != null) {
                    no++;
                    if (line.isBlank()) {
                        continue;
                    }
                    JsonNode n;
                    try {
                        n = JSON.readTree(line);
                    } catch (IOException e) {
                        throw new IllegalArgumentException(file + ":" + no + ": not JSON: " + e.getMessage());
                    }
                    String q = n.path("question").asText("");
                    String a = n.path("answer").asText("");
                    int at = a.lastIndexOf("####");
                    if (q.isBlank() || at < 0 || a.substring(at + 4).isBlank()) {
                        throw new IllegalArgumentException(file + ":" + no
                                + ": expected {\"question\", \"answer\"} with the answer ending '#### <number>'");
                    }
                    String key = WorldTokens.normalize(q);
                    if (map.containsKey(key)) {
                        dups++;
                        continue;
                    }
                    map.put(key, profile(key, q, a, config));
                }
            }
        }
        if (map.isEmpty()) {
            throw new IllegalArgumentException("no GSM8K question in " + files);
        }
        return new QuestionBank(map, dups);
    }

    /** The question with this text (whitespace-normalised), if known. */
    public Optional<Question> find(String question) {
        return Optional.ofNullable(byKey.get(WorldTokens.normalize(question)));
    }

    /** The question with this text; throws when unknown. */
    public Question get(String question) {
        return find(question).orElseThrow(() -> new IllegalArgumentException("unknown question: " + question));
    }

    /** Every known question, in file order. */
    public List<Question> questions() {
        return new ArrayList<>(byKey.values());
    }

    /** How many questions are known. */
    public int size() {
        return byKey.size();
    }

    /** How many repeated questions were skipped while loading. */
    public int duplicates() {
        return duplicates;
    }

    private static Question profile(String key, String question, String answer, HintWorld.Config c) {
        int at = answer.lastIndexOf("####");
        String gold = answer.substring(at + 4).strip();
        String body = answer.substring(0, at);
        if (c.stripAnnotations()) {
            body = ANNOTATION.matcher(body).replaceAll("");
        }
        long h = Simulation.hash(c.seed(), "question", key);
        SplittableRandom r = new SplittableRandom(h);
        boolean largeCorrect = r.nextDouble() >= c.largeWrongShare();
        String largeFinal = largeCorrect ? gold : wrongNumber(gold, r);
        String typical = wrongNumber(gold, r);
        if (!largeCorrect && r.nextBoolean()) {
            typical = largeFinal; // the large model's mistake is a tempting one
        }
        String solution = body + "#### " + largeFinal;
        int words = WorldTokens.count(key);
        int numbers = 0;
        Matcher m = NUMBER.matcher(key);
        while (m.find()) {
            numbers++;
        }
        // Difficulty: a latent z, partly the (standardised) length and number count of the question, partly noise.
        double feature = (0.6 * (Math.log(Math.max(1, words)) - LN_WORDS_MEAN) / LN_WORDS_SD
                + 0.4 * (numbers - NUMBERS_MEAN) / NUMBERS_SD) / FEATURE_SD;
        double rho = c.predictability();
        double z = rho * feature + Math.sqrt(1 - rho * rho) * r.nextGaussian();
        double u = Simulation.normalCdf(z);
        double difficulty;
        double solo;
        if (u < c.soloShare()) {
            difficulty = 0;
            solo = -0.1 * (1 - u / c.soloShare());
        } else if (u >= 1 - c.unsolvableShare()) {
            difficulty = UNSOLVABLE;
            solo = UNSOLVABLE;
        } else {
            double v = (u - c.soloShare()) / (1 - c.soloShare() - c.unsolvableShare());
            difficulty = c.minDifficulty() + (c.maxDifficulty() - c.minDifficulty()) * Math.pow(v, c.difficultyShape());
            solo = difficulty;
        }
        return new Question(key, question, gold, solution, List.copyOf(WorldTokens.words(solution)), largeCorrect,
                largeFinal, difficulty, solo, typical, words, numbers);
    }

    /** A number other than {@code gold}: off by a little, doubled or halved. */
    static String wrongNumber(String gold, SplittableRandom r) {
        BigDecimal g;
        try {
            g = new BigDecimal(gold.replace(",", "").replace('−', '-').strip());
        } catch (NumberFormatException e) {
            return gold + "1";
        }
        long mag = Math.max(3, g.abs().longValue() / 5);
        BigDecimal k = BigDecimal.valueOf(1 + r.nextLong(mag));
        BigDecimal w = switch (r.nextInt(5)) {
            case 0, 1 -> g.add(k);
            case 2 -> g.signum() > 0 && g.compareTo(k) > 0 ? g.subtract(k) : g.add(k);
            case 3 -> g.multiply(BigDecimal.valueOf(2));
            default -> g.remainder(BigDecimal.valueOf(2)).signum() == 0 ? g.divide(BigDecimal.valueOf(2)) : g.add(k);
        };
        if (w.compareTo(g) == 0) {
            w = g.add(BigDecimal.ONE);
        }
        return w.stripTrailingZeros().toPlainString();
    }
}
