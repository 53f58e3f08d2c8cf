package io.qwen3vl.models.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every way a safetensors file can be damaged is refused on open with one line naming file and tensor. */
class SafetensorsValidationTest {
    @TempDir
    Path dir;

    /** Two F32 tensors: a [2] at bytes [0, 8) and b [3] at [8, 20). */
    private SafetensorsWriter twoTensors() {
        return new SafetensorsWriter()
                .addFloats("a", new long[] {2}, 1f, 2f)
                .addFloats("b", new long[] {3}, 3f, 4f, 5f);
    }

    /** Writes the two-tensor file after {@code edit} changed its header, and expects open to fail. */
    private String rejectEditedHeader(Consumer<JsonObject> edit) throws IOException {
        SafetensorsWriter w = twoTensors();
        JsonObject header = w.header();
        edit.accept(header);
        Path file = SafetensorsWriter.writeRaw(dir.resolve("edited.safetensors"), header.toString(), w.data());
        return rejected(file);
    }

    private static String rejected(Path file) {
        CheckpointException e = assertThrows(CheckpointException.class, () -> SafetensorsFile.open(file).close());
        String message = e.getMessage();
        assertTrue(message.startsWith(file.toString() + ": "), "message should name the file: " + message);
        assertEquals(-1, message.indexOf('\n'), "message should be one line: " + message);
        return message;
    }

    private static void assertMentions(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), "expected '" + part + "' in: " + message);
        }
    }

    private static JsonObject entry(JsonObject header, String name) {
        return header.getAsJsonObject(name);
    }

    private static JsonArray longs(long... values) {
        JsonArray a = new JsonArray();
        Arrays.stream(values).forEach(a::add);
        return a;
    }

    @Test
    void validFileOpensWithItsTensorsAndMetadata() throws IOException {
        SafetensorsWriter w = twoTensors();
        JsonObject header = w.header();
        JsonObject meta = new JsonObject();
        meta.addProperty("format", "pt");
        header.add("__metadata__", meta);
        Path file = SafetensorsWriter.writeRaw(dir.resolve("ok.safetensors"), header.toString(), w.data());
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertEquals(2, f.tensors().size());
            assertEquals("pt", f.metadata().get("format"));
            TensorInfo b = f.tensors().get("b");
            assertEquals(8, b.begin());
            assertEquals(20, b.end());
            assertEquals(3.0f, f.bytes(b).getFloat(0));
        }
    }

    @Test
    void emptyHeaderWithNoDataIsAValidEmptyFile() throws IOException {
        Path file = SafetensorsWriter.writeRaw(dir.resolve("empty.safetensors"), "{}", new byte[0]);
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertTrue(f.tensors().isEmpty());
        }
    }

    @Test
    void fileShorterThanTheLengthPrefixIsRejected() throws IOException {
        Path file = dir.resolve("tiny.safetensors");
        Files.write(file, new byte[] {1, 2, 3});
        assertMentions(rejected(file), "3 bytes is too short");
    }

    @Test
    void headerLengthAboveTheReferenceBoundIsRejected() throws IOException {
        Path file = SafetensorsWriter.writeRaw(dir.resolve("huge.safetensors"), 100_000_001L,
                "{}".getBytes(StandardCharsets.UTF_8), new byte[0]);
        assertMentions(rejected(file), "header length 100000001", "outside 1..100000000");
    }

    @Test
    void headerLengthWithTheTopBitSetIsRejectedAsUnsigned() throws IOException {
        Path file = SafetensorsWriter.writeRaw(dir.resolve("neg.safetensors"), -1L, new byte[0], new byte[0]);
        assertMentions(rejected(file), "header length 18446744073709551615");
    }

    @Test
    void zeroHeaderLengthIsRejected() throws IOException {
        Path file = SafetensorsWriter.writeRaw(dir.resolve("zero.safetensors"), 0, new byte[0], new byte[4]);
        assertMentions(rejected(file), "header length 0");
    }

    @Test
    void truncatedHeaderIsRejected() throws IOException {
        byte[] header = twoTensors().header().toString().getBytes(StandardCharsets.UTF_8);
        byte[] cut = Arrays.copyOf(header, header.length / 2);
        Path file = SafetensorsWriter.writeRaw(dir.resolve("cut.safetensors"), header.length, cut, new byte[0]);
        assertMentions(rejected(file), "header length " + header.length, "runs past the end of the file");
    }

    @Test
    void headerThatIsNotUtf8IsRejected() throws IOException {
        byte[] header = {'{', '"', 'a', (byte) 0xFF, '"', ':', '{', '}', '}'}; // 0xFF never occurs in UTF-8
        Path file = SafetensorsWriter.writeRaw(dir.resolve("latin1.safetensors"), header.length, header, new byte[0]);
        assertMentions(rejected(file), "header", "not valid UTF-8");
    }

    @Test
    void headerThatIsNotJsonIsRejected() throws IOException {
        Path file = SafetensorsWriter.writeRaw(dir.resolve("junk.safetensors"), "{\"a\": [1, 2", new byte[0]);
        assertMentions(rejected(file), "header", "not valid JSON");
    }

    @Test
    void headerInLenientJsonIsRejected() throws IOException {
        // Gson's default parser would accept unquoted names; the reference parser does not.
        Path file = SafetensorsWriter.writeRaw(dir.resolve("lenient.safetensors"), "{a: 1}", new byte[0]);
        assertMentions(rejected(file), "not valid JSON");
    }

    @Test
    void headerWithTrailingGarbageIsRejected() throws IOException {
        Path file = SafetensorsWriter.writeRaw(dir.resolve("trailing.safetensors"), "{} {}", new byte[0]);
        assertMentions(rejected(file), "header");
    }

    @Test
    void headerThatIsNotAnObjectIsRejected() throws IOException {
        Path file = SafetensorsWriter.writeRaw(dir.resolve("array.safetensors"), "[1, 2]", new byte[0]);
        assertMentions(rejected(file), "expected a JSON object, found an array");
    }

    @Test
    void entryThatIsNotAnObjectIsRejected() throws IOException {
        assertMentions(rejectEditedHeader(h -> h.addProperty("a", 5)), "tensor 'a'", "must be an object");
    }

    @Test
    void entryWithoutDtypeIsRejected() throws IOException {
        assertMentions(rejectEditedHeader(h -> entry(h, "b").remove("dtype")), "tensor 'b'", "no 'dtype'");
    }

    @Test
    void entryWithoutShapeIsRejected() throws IOException {
        assertMentions(rejectEditedHeader(h -> entry(h, "b").remove("shape")), "tensor 'b'", "no 'shape'");
    }

    @Test
    void entryWithoutDataOffsetsIsRejected() throws IOException {
        assertMentions(rejectEditedHeader(h -> entry(h, "a").remove("data_offsets")), "tensor 'a'",
                "no 'data_offsets'");
    }

    @Test
    void unknownDtypeIsRejected() throws IOException {
        assertMentions(rejectEditedHeader(h -> entry(h, "a").addProperty("dtype", "F12")), "tensor 'a'",
                "unknown dtype \"F12\"");
    }

    @Test
    void shapeThatDisagreesWithTheByteRangeIsRejected() throws IOException {
        String m = rejectEditedHeader(h -> entry(h, "b").add("shape", longs(2, 2)));
        assertMentions(m, "tensor 'b'", "[2, 2] x F32 needs 16 bytes", "hold 12");
    }

    @Test
    void dtypeThatDisagreesWithTheByteRangeIsRejected() throws IOException {
        assertMentions(rejectEditedHeader(h -> entry(h, "a").addProperty("dtype", "F16")), "tensor 'a'",
                "F16 needs 4 bytes", "hold 8");
    }

    @Test
    void rangePastTheDataSectionIsRejected() throws IOException {
        String m = rejectEditedHeader(h -> {
            entry(h, "b").add("data_offsets", longs(16, 28));
        });
        assertMentions(m, "tensor 'b'", "[16, 28)", "outside the data section (20 bytes)");
    }

    @Test
    void rangeThatEndsBeforeItBeginsIsRejected() throws IOException {
        assertMentions(rejectEditedHeader(h -> entry(h, "a").add("data_offsets", longs(8, 0))), "tensor 'a'",
                "end before they begin");
    }

    @Test
    void overlappingRangesAreRejected() throws IOException {
        // a [2] claims [0, 8); c [3] claims [4, 16): both sizes are right, the ranges collide.
        SafetensorsWriter w = new SafetensorsWriter().addFloats("a", new long[] {2}, 1f, 2f)
                .addFloats("c", new long[] {3}, 3f, 4f, 5f);
        JsonObject header = w.header();
        entry(header, "c").add("data_offsets", longs(4, 16));
        Path file = SafetensorsWriter.writeRaw(dir.resolve("overlap.safetensors"), header.toString(),
                Arrays.copyOf(w.data(), 16));
        assertMentions(rejected(file), "tensor 'c' [4, 16) overlaps tensor 'a' [0, 8)");
    }

    @Test
    void gapBetweenTensorsIsRejected() throws IOException {
        SafetensorsWriter w = twoTensors();
        JsonObject header = w.header();
        entry(header, "b").add("data_offsets", longs(12, 24));
        Path file = SafetensorsWriter.writeRaw(dir.resolve("gap.safetensors"), header.toString(), new byte[24]);
        assertMentions(rejected(file), "data bytes [8, 12) belong to no tensor", "before tensor 'b'");
    }

    @Test
    void dataNotStartingAtZeroIsRejected() throws IOException {
        SafetensorsWriter w = new SafetensorsWriter().addFloats("a", new long[] {1}, 1f);
        JsonObject header = w.header();
        entry(header, "a").add("data_offsets", longs(4, 8));
        Path file = SafetensorsWriter.writeRaw(dir.resolve("late.safetensors"), header.toString(), new byte[8]);
        assertMentions(rejected(file), "data bytes [0, 4) belong to no tensor");
    }

    @Test
    void trailingBytesAfterTheLastTensorAreRejected() throws IOException {
        SafetensorsWriter w = twoTensors();
        Path file = SafetensorsWriter.writeRaw(dir.resolve("padded.safetensors"), w.header().toString(),
                Arrays.copyOf(w.data(), 23));
        assertMentions(rejected(file), "data section is 23 bytes but the tensors end at 20");
    }

    @Test
    void truncatedDataIsRejected() throws IOException {
        SafetensorsWriter w = twoTensors();
        Path file = SafetensorsWriter.writeRaw(dir.resolve("short.safetensors"), w.header().toString(),
                Arrays.copyOf(w.data(), 17));
        assertMentions(rejected(file), "tensor 'b'", "outside the data section (17 bytes)");
    }

    @Test
    void fractionalOffsetIsRejected() throws IOException {
        String m = rejectEditedHeader(h -> entry(h, "b").add("data_offsets",
                JsonParser.parseString("[8.0, 20]")));
        assertMentions(m, "tensor 'b'", "data_offsets holds 8.0, not an integer");
    }

    @Test
    void negativeOffsetIsRejected() throws IOException {
        String m = rejectEditedHeader(h -> entry(h, "a").add("data_offsets", longs(-8, 0)));
        assertMentions(m, "tensor 'a'", "data_offsets holds negative value -8");
    }

    @Test
    void fractionalDimensionIsRejected() throws IOException {
        String m = rejectEditedHeader(h -> entry(h, "b").add("shape", JsonParser.parseString("[1.5, 2]")));
        assertMentions(m, "tensor 'b'", "shape holds 1.5, not an integer");
    }

    @Test
    void negativeDimensionIsRejected() throws IOException {
        String m = rejectEditedHeader(h -> entry(h, "b").add("shape", longs(-3)));
        assertMentions(m, "tensor 'b'", "shape holds negative value -3");
    }

    @Test
    void dimensionGivenAsStringIsRejected() throws IOException {
        String m = rejectEditedHeader(h -> entry(h, "b").add("shape", JsonParser.parseString("[\"3\"]")));
        assertMentions(m, "tensor 'b'", "shape holds a string \"3\", not an integer");
    }

    @Test
    void shapeWhoseSizeOverflowsIsRejected() throws IOException {
        String m = rejectEditedHeader(h -> entry(h, "b").add("shape", longs(1L << 40, 1L << 40)));
        assertMentions(m, "tensor 'b'", "overflows");
    }

    @Test
    void offsetsWithThreeEntriesAreRejected() throws IOException {
        String m = rejectEditedHeader(h -> entry(h, "a").add("data_offsets", longs(0, 8, 8)));
        assertMentions(m, "tensor 'a'", "data_offsets must have 2 entries, found 3");
    }

    @Test
    void metadataWithNonStringValuesIsRejected() throws IOException {
        String m = rejectEditedHeader(h -> h.add("__metadata__", JsonParser.parseString("{\"step\": 5}")));
        assertMentions(m, "__metadata__ key 'step' must be a string");
    }
}
