package dev.shepherd.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shepherd.core.cost.CostLedger;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JVM killed with SIGKILL while 4 threads write entries loses none that {@code record} had returned for, stores
 * none in part or twice, and a restarted process continues the totals: on the embedded H2 file, and on
 * PostgreSQL when one is given.
 */
class LedgerKillIT {

    private static final int THREADS = 4;
    private static final int WAIT_FOR = 300;

    @TempDir
    Path dir;

    @Test
    void should_keep_every_recorded_entry_of_a_killed_process_on_h2() throws Exception {
        Path file = dir.resolve("ledger");
        killAndCheck(ShepherdDatabase.h2Url(file), "-", () -> ShepherdDatabase.h2(file));
    }

    @Test
    void should_keep_every_recorded_entry_of_a_killed_process_on_postgresql() throws Exception {
        String url = Postgres.require();
        String schema = Postgres.newSchemaName();
        killAndCheck(url, schema, () -> ShepherdDatabase.builder().jdbcUrl(url).schema(schema).build());
    }

    private void killAndCheck(String url, String schema, java.util.function.Supplier<ShepherdDatabase> reopen)
            throws Exception {
        // given: a child recording as fast as it can
        Path out = dir.resolve("child.out");
        Path err = dir.resolve("child.err");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                LedgerWriterMain.class.getName(), url, schema, String.valueOf(THREADS))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            // when: killed (SIGKILL) once it has recorded enough
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (okLines(out).size() < WAIT_FOR && child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(child.isAlive()).as("child alive; stderr: %s", Files.readString(err)).isTrue();
            child.destroyForcibly();
            assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        List<String> acknowledged = okLines(out);

        // then
        try (ShepherdDatabase db = reopen.get()) {
            Map<String, Integer> callRows = callRows(db);
            long rows = db.ledger().count();
            for (String id : acknowledged) {
                assertThat(db.ledger().find(id)).as("acknowledged entry %s", id).isPresent();
            }
            assertThat(rows).as("rows beyond the acknowledged: at most one in flight per thread")
                    .isBetween((long) acknowledged.size(), (long) acknowledged.size() + THREADS);
            assertThat(callRows).as("every stored entry has both its calls, never a part").hasSize((int) rows)
                    .allSatisfy((id, n) -> assertThat(n).isEqualTo(2));
            CostLedger restarted = CostLedger.over(db.ledger());
            assertThat(restarted.totals().requests()).isEqualTo(rows);
            System.out.printf("kill -9: %d entries acknowledged, %d stored, %d rows of calls%n", acknowledged.size(),
                    rows, callRows.values().stream().mapToInt(Integer::intValue).sum());
        }
    }

    private static List<String> okLines(Path out) throws IOException {
        List<String> ids = new ArrayList<>();
        for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
            if (line.startsWith("ok ")) {
                ids.add(line.substring(3));
            }
        }
        return ids;
    }

    private static Map<String, Integer> callRows(ShepherdDatabase db) throws SQLException {
        Map<String, Integer> rows = new HashMap<>();
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT l.request_id, COUNT(c.seq) FROM shepherd_ledger l"
                     + " LEFT JOIN shepherd_ledger_call c ON c.request_id = l.request_id GROUP BY l.request_id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.put(rs.getString(1), rs.getInt(2));
            }
            c.rollback();
        }
        return rows;
    }
}
