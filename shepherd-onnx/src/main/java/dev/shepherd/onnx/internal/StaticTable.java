package dev.shepherd.onnx.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shepherd.onnx.BundleException;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * A static embedding table: one vector per vocabulary token, stored compactly. File layout (little-endian):
 *
 * <pre>
 * "SHSTATIC"            8 bytes, magic
 * version               int32 (1)
 * rows, dimension       int32, int32
 * quantization          int32: 1 = int8 with a float32 scale per row, 2 = float16
 * descriptor length     int32, then that many bytes of UTF-8 JSON: a flat object of strings
 * int8 only: scales     rows × float32
 * values                rows × dimension × (int8 | float16)
 * CRC-32                int32 over every byte before it
 * </pre>
 *
 * <p>int8 with a per-row scale (symmetric: scale = max |x| / 127) keeps a 30,522 × 256 table at 7.9 MB; the
 * rounding error (≤ 0.4 % of a row's largest entry) is far below what changes a pooled query vector's ranking.
 * Immutable and thread-safe.
 */
public final class StaticTable {

    /** How values are stored. */
    public enum Quantization {
        /** int8 with a float32 scale per row: 1 byte a value. */
        INT8(1),
        /** IEEE half precision: 2 bytes a value. */
        FLOAT16(2);

        private final int code;

        Quantization(int code) {
            this.code = code;
        }
    }

    private static final byte[] MAGIC = "SHSTATIC".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** float16 bits → float, for every 16-bit pattern: Java 17 has no Float.float16ToFloat. */
    private static final float[] HALF = new float[65536];

    static {
        for (int h = 0; h < HALF.length; h++) {
            HALF[h] = halfToFloat((short) h);
        }
    }

    private final int rows;
    private final int dimension;
    private final Quantization quantization;
    private final float[] scales;
    private final byte[] int8;
    private final short[] half;
    private final Map<String, String> descriptor;

    private StaticTable(int rows, int dimension, Quantization quantization, float[] scales, byte[] int8, short[] half,
                        Map<String, String> descriptor) {
        this.rows = rows;
        this.dimension = dimension;
        this.quantization = quantization;
        this.scales = scales;
        this.int8 = int8;
        this.half = half;
        this.descriptor = Map.copyOf(descriptor);
    }

    /**
     * Quantizes vectors into a table.
     *
     * @param vectors    one row per token id, all of one length ≥ 1, finite
     * @param descriptor what the table is (flat strings; stored as JSON)
     */
    public static StaticTable of(float[][] vectors, Quantization quantization, Map<String, String> descriptor) {
        Objects.requireNonNull(quantization, "quantization");
        Objects.requireNonNull(descriptor, "descriptor");
        if (vectors.length == 0 || vectors[0].length == 0) {
            throw new IllegalArgumentException("a static table needs at least one row and one dimension");
        }
        int n = vectors.length;
        int d = vectors[0].length;
        float[] scales = quantization == Quantization.INT8 ? new float[n] : null;
        byte[] q = quantization == Quantization.INT8 ? new byte[n * d] : null;
        short[] h = quantization == Quantization.FLOAT16 ? new short[n * d] : null;
        for (int r = 0; r < n; r++) {
            float[] v = vectors[r];
            if (v.length != d) {
                throw new IllegalArgumentException("row " + r + " has " + v.length + " values, expected " + d);
            }
            float max = 0;
            for (float x : v) {
                if (!Float.isFinite(x)) {
                    throw new IllegalArgumentException("row " + r + " has a non-finite value " + x);
                }
                max = Math.max(max, Math.abs(x));
            }
            if (q != null) {
                float scale = max / 127f;
                scales[r] = scale;
                for (int j = 0; j < d; j++) {
                    q[r * d + j] = (byte) (scale == 0 ? 0 : Math.round(v[j] / scale));
                }
            } else {
                for (int j = 0; j < d; j++) {
                    h[r * d + j] = floatToHalf(v[j]);
                }
            }
        }
        return new StaticTable(n, d, quantization, scales, q, h, descriptor);
    }

    /** Token ids the table has rows for: 0 … rows − 1. */
    public int rows() {
        return rows;
    }

    /** Length of every row. */
    public int dimension() {
        return dimension;
    }

    public Quantization quantization() {
        return quantization;
    }

    /** What the table is (as written by the distiller); immutable. */
    public Map<String, String> descriptor() {
        return descriptor;
    }

    /** Row {@code id}, dequantized. */
    public float[] row(int id) {
        float[] v = new float[dimension];
        addTo(id, v);
        return v;
    }

    /** {@code acc += row(id)} without allocating: the request-time pooling loop. */
    public void addTo(int id, float[] acc) {
        int off = id * dimension;
        if (int8 != null) {
            float s = scales[id];
            for (int j = 0; j < dimension; j++) {
                acc[j] += s * int8[off + j];
            }
        } else {
            for (int j = 0; j < dimension; j++) {
                acc[j] += HALF[half[off + j] & 0xffff];
            }
        }
    }

    /** Writes the table atomically. */
    public void write(Path file) throws IOException {
        byte[] desc = JSON.writeValueAsBytes(new LinkedHashMap<>(new TreeMap<>(descriptor)));
        int values = quantization == Quantization.INT8 ? rows * dimension + 4 * rows : 2 * rows * dimension;
        ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 20 + desc.length + values + 4).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).putInt(VERSION).putInt(rows).putInt(dimension).putInt(quantization.code).putInt(desc.length)
                .put(desc);
        if (int8 != null) {
            for (float s : scales) {
                b.putFloat(s);
            }
            b.put(int8);
        } else {
            for (short h : half) {
                b.putShort(h);
            }
        }
        CRC32 crc = new CRC32();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue());
        // a temporary sibling renamed into place, so a reader never sees half a table
        Path tmp = file.resolveSibling("." + file.getFileName() + ".part");
        try {
            Files.write(tmp, b.array());
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Reads a table, straight into its arrays (no second copy of the file in memory).
     *
     * @throws BundleException naming the file when it is missing, unreadable, truncated or corrupt
     */
    public static StaticTable read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new BundleException(file, "static embedding table is missing");
        }
        try (FileChannel ch = FileChannel.open(file)) {
            long size = ch.size();
            CRC32 crc = new CRC32();
            ByteBuffer head = size < MAGIC.length + 24 ? null : readFully(ch, MAGIC.length + 20, crc);
            if (head == null || !Arrays.equals(head.array(), 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
                throw new BundleException(file, "not a static embedding table (no SHSTATIC header)");
            }
            head.position(MAGIC.length);
            int version = head.getInt();
            int rows = head.getInt();
            int dim = head.getInt();
            int code = head.getInt();
            int descLength = head.getInt();
            if (version != VERSION) {
                throw new BundleException(file, "static embedding table version " + version + " is not supported "
                        + "(this code reads version " + VERSION + ")");
            }
            Quantization q = code == 1 ? Quantization.INT8 : code == 2 ? Quantization.FLOAT16 : null;
            long values = q == Quantization.INT8 ? (long) rows * dim + 4L * rows : 2L * rows * dim;
            if (q == null || rows < 1 || dim < 1 || descLength < 0 || (long) rows * dim > Integer.MAX_VALUE
                    || MAGIC.length + 20L + descLength + values + 4 != size) {
                throw new BundleException(file, "corrupt static embedding table header: rows=" + rows + ", dimension="
                        + dim + ", quantization=" + code + ", descriptor=" + descLength + " bytes, file=" + size
                        + " bytes");
            }
            byte[] desc = readFully(ch, descLength, crc).array();
            float[] scales = null;
            byte[] int8 = null;
            short[] half = null;
            if (q == Quantization.INT8) {
                scales = new float[rows];
                readFully(ch, 4 * rows, crc).asFloatBuffer().get(scales);
                int8 = new byte[rows * dim];
                ByteBuffer v = ByteBuffer.wrap(int8);
                fill(ch, v);
                crc.update(int8);
            } else {
                half = new short[rows * dim];
                readFully(ch, 2 * rows * dim, crc).asShortBuffer().get(half);
            }
            int stored = readFully(ch, 4, null).getInt();
            if ((int) crc.getValue() != stored) {
                throw new BundleException(file, "corrupt static embedding table: checksum mismatch (truncated or "
                        + "damaged file; distill it again)");
            }
            Map<String, String> descriptor;
            try {
                descriptor = JSON.readValue(desc, JSON.getTypeFactory().constructMapType(LinkedHashMap.class,
                        String.class, String.class));
            } catch (IOException e) {
                throw new BundleException(file, "corrupt static embedding table descriptor: " + e.getMessage(), e);
            }
            return new StaticTable(rows, dim, q, scales, int8, half, descriptor);
        } catch (IOException e) {
            throw new BundleException(file, "static embedding table is unreadable: " + e.getMessage(), e);
        }
    }

    /** The next {@code n} bytes, little-endian, added to {@code crc} when given. */
    private static ByteBuffer readFully(FileChannel ch, int n, CRC32 crc) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
        fill(ch, b);
        if (crc != null) {
            crc.update(b.array(), 0, n);
        }
        return b.flip();
    }

    private static void fill(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                throw new EOFException("file ended early");
            }
        }
    }

    /** IEEE 754 binary16, round to nearest even; overflow to infinity (the distiller's values are far smaller). */
    static short floatToHalf(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = bits >>> 16 & 0x8000;
        int biased = bits >>> 23 & 0xff;
        int mant = bits & 0x7fffff;
        if (biased == 0xff) {
            return (short) (sign | 0x7c00 | (mant != 0 ? 0x200 : 0)); // infinity, NaN
        }
        int exp = biased - 127 + 15;
        if (exp >= 0x1f) {
            return (short) (sign | 0x7c00); // too large: infinity
        }
        if (exp <= 0) {
            if (exp < -10) {
                return (short) sign;
            }
            mant |= 0x800000;
            int shift = 14 - exp;
            int half = mant >> shift;
            int rest = mant & ((1 << shift) - 1);
            int mid = 1 << (shift - 1);
            if (rest > mid || rest == mid && (half & 1) == 1) {
                half++;
            }
            return (short) (sign | half);
        }
        int half = sign | exp << 10 | mant >> 13;
        int rest = mant & 0x1fff;
        if (rest > 0x1000 || rest == 0x1000 && (half & 1) == 1) {
            half++; // may carry into the exponent, which is the correct rounding
        }
        return (short) half;
    }

    static float halfToFloat(short h) {
        int sign = (h & 0x8000) << 16;
        int exp = h >>> 10 & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | mant << 13);
        }
        if (exp == 0) {
            float v = mant * 0x1p-24f;
            return sign == 0 ? v : -v;
        }
        return Float.intBitsToFloat(sign | (exp - 15 + 127) << 23 | mant << 13);
    }

    /** The descriptor as JSON, for logs. */
    public String describe() {
        try {
            return JSON.writeValueAsString(new TreeMap<>(descriptor));
        } catch (JsonProcessingException e) {
            return descriptor.toString();
        }
    }
}
