package dev.shepherd.core.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.shepherd.core.Decision;
import dev.shepherd.core.model.FinishReason;
import dev.shepherd.core.model.ModelRole;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CostLedgerTest {

    private static LedgerEntry entry(String id, double largeCost, boolean ok) {
        List<CallRecord> calls = List.of(
                new CallRecord(ModelRole.SMALL, "s", CallPurpose.SAMPLE, 10, 20, 0, Duration.ofMillis(5),
                        FinishReason.STOP, null),
                new CallRecord(ModelRole.LARGE, "l\"x", CallPurpose.HINT, 12, 7, largeCost, Duration.ofMillis(9),
                        ok ? FinishReason.LENGTH : null, ok ? null : "down\nhard"));
        return new LedgerEntry(id, Instant.parse("2026-01-01T00:00:00Z"), "reactive-shepherding", "q-" + id,
                ok ? Decision.hint(7) : null, calls, ok, ok ? null : "ModelCallException: down", List.of("n1"));
    }

    @Test
    void should_keep_entries_and_totals() {
        // given
        CostLedger ledger = CostLedger.create();

        // when
        ledger.record(entry("a", 0.5, true));
        ledger.record(entry("b", 0.25, false));

        // then
        CostTotals t = ledger.totals();
        assertThat(t.requests()).isEqualTo(2);
        assertThat(t.failures()).isEqualTo(1);
        assertThat(t.largeCalls()).isEqualTo(2);
        assertThat(t.costUsd()).isEqualTo(0.75);
        assertThat(t.smallInputTokens()).isEqualTo(20);
        assertThat(t.smallOutputTokens()).isEqualTo(40);
        assertThat(t.largeInputTokens()).isEqualTo(24);
        assertThat(t.largeOutputTokens()).isEqualTo(14);
        assertThat(t.hintTokens()).isEqualTo(14);
        assertThat(t.averageCostUsd()).isEqualTo(0.375);
        assertThat(t.largeCallRate()).isEqualTo(1.0);
        assertThat(ledger.entries()).extracting(LedgerEntry::requestId).containsExactly("a", "b");
    }

    @Test
    void should_keep_only_totals_when_asked() {
        CostLedger ledger = CostLedger.totalsOnly();
        ledger.record(entry("a", 0.5, true));
        assertThat(ledger.entries()).isEmpty();
        assertThat(ledger.totals().requests()).isEqualTo(1);
    }

    @Test
    void should_export_one_parseable_json_object_per_line(@TempDir Path dir) throws Exception {
        // given
        CostLedger ledger = CostLedger.create();
        ledger.record(entry("a", 1.5e-5, true));
        ledger.record(entry("b", 0, false));
        Path file = dir.resolve("ledger.jsonl");

        // when
        ledger.writeJsonl(file);

        // then
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(2);
        for (String line : lines) {
            assertThat(MiniJson.parse(line)).isInstanceOf(java.util.Map.class);
        }
        java.util.Map<?, ?> first = (java.util.Map<?, ?>) MiniJson.parse(lines.get(0));
        assertThat(first.get("request_id")).isEqualTo("a");
        assertThat(first.get("decision")).isEqualTo("HINT(7)");
        assertThat((Double) first.get("cost_usd")).isCloseTo(1.5e-5, within(1e-18));
        List<?> calls = (List<?>) first.get("calls");
        assertThat(calls).hasSize(2);
        assertThat(((java.util.Map<?, ?>) calls.get(1)).get("model")).isEqualTo("l\"x");
        assertThat(((java.util.Map<?, ?>) calls.get(1)).get("purpose")).isEqualTo("hint");
        java.util.Map<?, ?> second = (java.util.Map<?, ?>) MiniJson.parse(lines.get(1));
        assertThat(second.get("succeeded")).isEqualTo(false);
        assertThat(second.get("decision")).isNull();
        assertThat(((java.util.Map<?, ?>) ((List<?>) second.get("calls")).get(1)).get("error")).isEqualTo("down\nhard");
    }

    @Test
    void should_write_to_a_writer_the_same_lines() throws Exception {
        CostLedger ledger = CostLedger.create();
        ledger.record(entry("a", 0.1, true));
        StringWriter out = new StringWriter();
        ledger.writeJsonl(out);
        assertThat(out.toString()).isEqualTo(CostLedger.toJson(ledger.entries().get(0)) + "\n");
    }

    @Test
    void should_lose_no_entry_under_concurrent_recording() throws Exception {
        // given
        CostLedger ledger = CostLedger.create();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int base = t * 500;
            threads.add(new Thread(() -> {
                for (int i = 0; i < 500; i++) {
                    ledger.record(entry("r" + (base + i), 0.5, true));
                }
            }));
        }

        // when
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }

        // then
        assertThat(ledger.entries()).hasSize(4000);
        assertThat(ledger.totals().requests()).isEqualTo(4000);
        assertThat(ledger.totals().costUsd()).isEqualTo(2000.0);
    }

    /** A minimal JSON reader, enough to check that every ledger line is well-formed JSON. */
    static final class MiniJson {
        private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?([eE][+-]?\\d+)?");
        private final String s;
        private int i;

        private MiniJson(String s) {
            this.s = s;
        }

        static Object parse(String s) {
            MiniJson p = new MiniJson(s);
            Object v = p.value();
            if (p.i != s.length()) {
                throw new IllegalArgumentException("trailing text at " + p.i);
            }
            return v;
        }

        private Object value() {
            char c = s.charAt(i);
            if (c == '{') {
                java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
                i++;
                if (s.charAt(i) == '}') {
                    i++;
                    return m;
                }
                while (true) {
                    String k = string();
                    expect(':');
                    m.put(k, value());
                    if (s.charAt(i) == ',') {
                        i++;
                        continue;
                    }
                    expect('}');
                    return m;
                }
            }
            if (c == '[') {
                List<Object> l = new ArrayList<>();
                i++;
                if (s.charAt(i) == ']') {
                    i++;
                    return l;
                }
                while (true) {
                    l.add(value());
                    if (s.charAt(i) == ',') {
                        i++;
                        continue;
                    }
                    expect(']');
                    return l;
                }
            }
            if (c == '"') {
                return string();
            }
            for (String lit : new String[] {"true", "false", "null"}) {
                if (s.startsWith(lit, i)) {
                    i += lit.length();
                    return lit.equals("null") ? null : Boolean.valueOf(lit);
                }
            }
            Matcher m = NUMBER.matcher(s).region(i, s.length());
            if (!m.lookingAt()) {
                throw new IllegalArgumentException("unexpected '" + c + "' at " + i);
            }
            i = m.end();
            return Double.parseDouble(m.group());
        }

        private String string() {
            expect('"');
            StringBuilder sb = new StringBuilder();
            while (true) {
                char c = s.charAt(i++);
                if (c == '"') {
                    return sb.toString();
                }
                if (c < 0x20) {
                    throw new IllegalArgumentException("raw control character at " + (i - 1));
                }
                if (c != '\\') {
                    sb.append(c);
                    continue;
                }
                char e = s.charAt(i++);
                switch (e) {
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case 'r' -> sb.append('\r');
                    case '"', '\\', '/' -> sb.append(e);
                    case 'u' -> {
                        sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                    }
                    default -> throw new IllegalArgumentException("bad escape \\" + e);
                }
            }
        }

        private void expect(char c) {
            if (s.charAt(i) != c) {
                throw new IllegalArgumentException("expected '" + c + "' at " + i + " but was '" + s.charAt(i) + "'");
            }
            i++;
        }
    }
}
