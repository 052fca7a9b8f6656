package dev.shepherd.onnx.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.shepherd.onnx.BundleException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaticTableTest {

    @TempDir
    Path tmp;

    private static float[][] random(int rows, int dim, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[][] v = new float[rows][dim];
        for (float[] r : v) {
            double scale = Math.exp(rng.nextDouble(-3, 1)); // rows of very different lengths, as distilled rows are
            for (int j = 0; j < dim; j++) {
                r[j] = (float) (rng.nextGaussian() * scale);
            }
        }
        v[rows - 1] = new float[dim]; // an all-zero row (scale 0) must survive too
        return v;
    }

    @Test
    void should_round_trip_an_int8_table_within_half_a_step_per_value() throws Exception {
        // given
        float[][] v = random(300, 48, 1);
        StaticTable table = StaticTable.of(v, StaticTable.Quantization.INT8, Map.of("id", "t", "weighting", "sif"));
        Path file = tmp.resolve("t.bin");

        // when
        table.write(file);
        StaticTable back = StaticTable.read(file);

        // then: the file is what was written, and every value is within half a quantization step of the original
        assertThat(Files.size(file)).isEqualTo(8 + 20 + back.describe().length() + 300 * 48 + 300 * 4 + 4);
        assertThat(back.rows()).isEqualTo(300);
        assertThat(back.dimension()).isEqualTo(48);
        assertThat(back.quantization()).isEqualTo(StaticTable.Quantization.INT8);
        assertThat(back.descriptor()).isEqualTo(Map.of("id", "t", "weighting", "sif"));
        for (int r = 0; r < v.length; r++) {
            float max = 0;
            for (float x : v[r]) {
                max = Math.max(max, Math.abs(x));
            }
            float[] got = back.row(r);
            assertThat(got).isEqualTo(table.row(r));
            for (int j = 0; j < v[r].length; j++) {
                assertThat(got[j]).isCloseTo(v[r][j], within(max / 127 / 2 + 1e-7f));
            }
        }
    }

    @Test
    void should_round_trip_a_float16_table_to_half_precision() throws Exception {
        // given
        float[][] v = random(50, 16, 2);
        Path file = tmp.resolve("h.bin");

        // when
        StaticTable.of(v, StaticTable.Quantization.FLOAT16, Map.of("id", "h")).write(file);
        StaticTable back = StaticTable.read(file);

        // then: relative error at most 2^-11 (normal range)
        assertThat(back.quantization()).isEqualTo(StaticTable.Quantization.FLOAT16);
        for (int r = 0; r < v.length; r++) {
            float[] got = back.row(r);
            for (int j = 0; j < v[r].length; j++) {
                assertThat(got[j]).isCloseTo(v[r][j], within(Math.abs(v[r][j]) * 0x1p-11f + 0x1p-24f));
            }
        }
    }

    @Test
    void should_convert_half_precision_exactly_where_it_is_exact() {
        for (float f : new float[] {0f, -0f, 1f, -2.5f, 65504f, 0x1p-14f, 0x1p-24f, 0.5f + 0x1p-11f}) {
            assertThat(StaticTable.halfToFloat(StaticTable.floatToHalf(f))).isEqualTo(f);
        }
        // ties round to even, overflow goes to infinity
        assertThat(StaticTable.halfToFloat(StaticTable.floatToHalf(1f + 0x1p-11f))).isEqualTo(1f);
        assertThat(StaticTable.halfToFloat(StaticTable.floatToHalf(1f + 3 * 0x1p-11f))).isEqualTo(1f + 0x1p-9f);
        assertThat(StaticTable.halfToFloat(StaticTable.floatToHalf(1e6f))).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(StaticTable.halfToFloat(StaticTable.floatToHalf(1e-9f))).isEqualTo(0f);
    }

    @Test
    void should_reject_a_damaged_table_naming_the_file() throws Exception {
        // given
        Path file = tmp.resolve("d.bin");
        StaticTable.of(random(20, 8, 3), StaticTable.Quantization.INT8, Map.of("id", "d")).write(file);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x40;
        Files.write(file, bytes);

        // when / then
        assertThatThrownBy(() -> StaticTable.read(file)).isInstanceOf(BundleException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("checksum")
                .extracting(e -> ((BundleException) e).file()).isEqualTo(file);
    }

    @Test
    void should_reject_a_truncated_table_naming_the_file() throws Exception {
        Path file = tmp.resolve("t.bin");
        StaticTable.of(random(20, 8, 4), StaticTable.Quantization.INT8, Map.of("id", "t")).write(file);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 100));

        assertThatThrownBy(() -> StaticTable.read(file)).isInstanceOf(BundleException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("corrupt");
    }

    @Test
    void should_reject_a_missing_or_foreign_file_naming_it() throws Exception {
        Path missing = tmp.resolve("missing.bin");
        assertThatThrownBy(() -> StaticTable.read(missing)).isInstanceOf(BundleException.class)
                .hasMessageContaining(missing.toString()).hasMessageContaining("missing");

        Path foreign = Files.writeString(tmp.resolve("foreign.bin"), "{\"not\": \"a table\"} plus some more bytes");
        assertThatThrownBy(() -> StaticTable.read(foreign)).isInstanceOf(BundleException.class)
                .hasMessageContaining(foreign.toString()).hasMessageContaining("SHSTATIC");
    }
}
