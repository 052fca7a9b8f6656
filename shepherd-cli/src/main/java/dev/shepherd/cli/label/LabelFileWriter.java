package dev.shepherd.cli.label;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shepherd.cli.InputException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

/**
 * Appends label records to a JSONL file so that a crash or Ctrl-C never loses or duplicates one: each record is
 * written as one whole line and forced to disk before the next; on open, the ids already present are read (to be
 * skipped) and a torn last line (a write cut short, without its newline) is cut off.
 *
 * <p>Thread-safe: appends are serialised.
 */
public final class LabelFileWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LabelFileWriter.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Path file;
    private final FileChannel channel;
    private final Set<String> done;
    private final long tornBytes;

    private LabelFileWriter(Path file, FileChannel channel, Set<String> done, long tornBytes) {
        this.file = file;
        this.channel = channel;
        this.done = done;
        this.tornBytes = tornBytes;
    }

    /**
     * Opens (or creates) a label file for appending, recovering from an interrupted earlier run.
     *
     * @param file the JSONL file
     * @return the writer
     * @throws InputException when a complete line of an existing file is not a JSON object with an {@code id}
     */
    public static LabelFileWriter open(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            try {
                long size = ch.size();
                byte[] all = new byte[(int) Math.min(size, Integer.MAX_VALUE - 8)];
                ByteBuffer buf = ByteBuffer.wrap(all);
                while (buf.hasRemaining() && ch.read(buf, buf.position()) > 0) {
                    // read the whole file
                }
                int end = all.length;
                while (end > 0 && all[end - 1] != '\n') {
                    end--;
                }
                long torn = all.length - end;
                if (torn > 0) {
                    log.info("{}: ignoring a torn last line ({} bytes) left by an interrupted run", file, torn);
                    ch.truncate(end);
                    ch.force(true);
                }
                Set<String> ids = ids(file, new String(all, 0, end, StandardCharsets.UTF_8));
                ch.position(ch.size());
                return new LabelFileWriter(file, ch, ids, torn);
            } catch (RuntimeException | IOException e) {
                ch.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open label file " + file + ": " + e.getMessage(), e);
        }
    }

    private static Set<String> ids(Path file, String text) {
        Set<String> ids = new HashSet<>();
        long lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = MAPPER.readTree(line);
            } catch (IOException e) {
                throw new InputException(file.toString(), lineNo, null, "not a JSON label record; "
                        + "refusing to append to a corrupt label file");
            }
            if (node == null || !node.hasNonNull("id")) {
                throw new InputException(file.toString(), lineNo, "id", "missing in label record");
            }
            ids.add(node.get("id").asText());
        }
        return ids;
    }

    /** Returns whether a record for {@code id} is already in the file. */
    public synchronized boolean contains(String id) {
        return done.contains(id);
    }

    /** Returns how many records the file holds. */
    public synchronized int size() {
        return done.size();
    }

    /** Returns the bytes of a torn last line cut off on open (0 when the file was clean). */
    public long tornBytes() {
        return tornBytes;
    }

    /**
     * Appends one record as one line and forces it to disk. A record whose id is already present is not written.
     *
     * @param id the record's id
     * @param json the record, one line of JSON without a newline
     * @return false when the id was already present
     */
    public synchronized boolean append(String id, String json) {
        if (json.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("a label record must be one line");
        }
        if (done.contains(id)) {
            return false;
        }
        try {
            ByteBuffer buf = ByteBuffer.wrap((json + "\n").getBytes(StandardCharsets.UTF_8));
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file + ": " + e.getMessage(), e);
        }
        done.add(id);
        return true;
    }

    @Override
    public synchronized void close() {
        try {
            channel.close();
        } catch (IOException e) {
            log.warn("closing {}: {}", file, e.getMessage());
        }
    }
}
