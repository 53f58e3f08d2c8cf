package io.qwen3vl.models.config;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.qwen3vl.models.checkpoint.CheckpointException;
import io.qwen3vl.models.checkpoint.JsonFiles;
import java.nio.file.Path;

/**
 * A Qwen3-VL {@code config.json}: text and vision hyper-parameters plus the special token ids.
 * Accepts both the transformers v4 layout ({@code rope_scaling} + {@code rope_theta}) and the v5
 * layout ({@code rope_parameters} holding {@code rope_theta}).
 */
public record ModelConfig(
        TextConfig text,
        VisionConfig vision,
        int imageTokenId,
        int videoTokenId,
        int visionStartTokenId,
        int visionEndTokenId) {

    public static final String FILE = "config.json";

    /** Reads {@code config.json} from a model folder; every problem is one line naming the file and key. */
    public static ModelConfig load(Path modelDir) {
        Path file = modelDir.resolve(FILE);
        JsonObject root = JsonFiles.readObject(file);
        try {
            return parse(file, root);
        } catch (IllegalStateException | ClassCastException | NumberFormatException
                 | UnsupportedOperationException e) {
            // Gson's getAs* on a value of the wrong JSON type.
            throw new CheckpointException(file + ": malformed: " + e.getMessage(), e);
        }
    }

    static ModelConfig parse(Path file, JsonObject root) {
        Keys top = new Keys(file, root, "");
        JsonObject textJson = root.has("text_config") ? root.getAsJsonObject("text_config") : root;
        Keys t = new Keys(file, textJson, root.has("text_config") ? "text_config." : "");
        JsonObject rope = null;
        if (textJson.has("rope_parameters") && textJson.get("rope_parameters").isJsonObject()) {
            rope = textJson.getAsJsonObject("rope_parameters");
        } else if (textJson.has("rope_scaling") && textJson.get("rope_scaling").isJsonObject()) {
            rope = textJson.getAsJsonObject("rope_scaling");
        }
        double theta;
        if (textJson.has("rope_theta")) {
            theta = textJson.get("rope_theta").getAsDouble();
        } else if (rope != null && rope.has("rope_theta")) {
            theta = rope.get("rope_theta").getAsDouble();
        } else {
            throw new CheckpointException(file + ": missing key text_config.rope_theta (or rope_parameters.rope_theta)");
        }
        int headDim = t.has("head_dim") ? t.integer("head_dim")
                : t.integer("hidden_size") / t.integer("num_attention_heads");
        int[] section = rope != null && rope.has("mrope_section")
                ? ints(rope.getAsJsonArray("mrope_section")) : new int[] {24, 20, 20};
        boolean interleaved = rope == null || !rope.has("mrope_interleaved")
                || rope.get("mrope_interleaved").getAsBoolean();
        int sectionSum = 0;
        for (int s : section) {
            sectionSum += s;
        }
        if (section.length != 3 || sectionSum != headDim / 2) {
            throw new CheckpointException(file + ": mrope_section " + java.util.Arrays.toString(section)
                    + " must have 3 entries summing to head_dim/2 = " + headDim / 2);
        }
        boolean tie = t.has("tie_word_embeddings") ? t.bool("tie_word_embeddings")
                : top.has("tie_word_embeddings") && top.bool("tie_word_embeddings");
        TextConfig text = new TextConfig(
                t.integer("hidden_size"),
                t.integer("intermediate_size"),
                t.integer("num_hidden_layers"),
                t.integer("num_attention_heads"),
                t.has("num_key_value_heads") ? t.integer("num_key_value_heads") : t.integer("num_attention_heads"),
                headDim,
                t.integer("vocab_size"),
                t.has("rms_norm_eps") ? t.real("rms_norm_eps") : 1e-6,
                theta,
                section,
                interleaved,
                t.has("hidden_act") ? t.string("hidden_act") : "silu",
                t.has("attention_bias") && t.bool("attention_bias"),
                tie,
                t.has("max_position_embeddings") ? t.integer("max_position_embeddings") : 262144);
        if (text.numAttentionHeads() % text.numKeyValueHeads() != 0) {
            throw new CheckpointException(file + ": num_attention_heads " + text.numAttentionHeads()
                    + " is not a multiple of num_key_value_heads " + text.numKeyValueHeads());
        }
        VisionConfig vision = null;
        if (root.has("vision_config")) {
            Keys v = new Keys(file, root.getAsJsonObject("vision_config"), "vision_config.");
            vision = new VisionConfig(
                    v.integer("depth"),
                    v.integer("hidden_size"),
                    v.integer("intermediate_size"),
                    v.integer("num_heads"),
                    v.has("in_channels") ? v.integer("in_channels") : 3,
                    v.has("patch_size") ? v.integer("patch_size") : 16,
                    v.has("temporal_patch_size") ? v.integer("temporal_patch_size") : 2,
                    v.has("spatial_merge_size") ? v.integer("spatial_merge_size") : 2,
                    v.integer("out_hidden_size"),
                    v.has("num_position_embeddings") ? v.integer("num_position_embeddings") : 2304,
                    v.has("deepstack_visual_indexes")
                            ? ints(root.getAsJsonObject("vision_config").getAsJsonArray("deepstack_visual_indexes"))
                            : new int[0],
                    v.has("hidden_act") ? v.string("hidden_act") : "gelu_pytorch_tanh");
        }
        return new ModelConfig(text, vision,
                top.has("image_token_id") ? top.integer("image_token_id") : 151655,
                top.has("video_token_id") ? top.integer("video_token_id") : 151656,
                top.has("vision_start_token_id") ? top.integer("vision_start_token_id") : 151652,
                top.has("vision_end_token_id") ? top.integer("vision_end_token_id") : 151653);
    }

    private static int[] ints(JsonArray a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsInt();
        }
        return out;
    }

    /** Typed access to required keys with errors that name the file and the key. */
    private record Keys(Path file, JsonObject json, String prefix) {
        boolean has(String key) {
            return json.has(key) && !json.get(key).isJsonNull();
        }

        JsonElement get(String key) {
            if (!has(key)) {
                throw new CheckpointException(file + ": missing key " + prefix + key);
            }
            return json.get(key);
        }

        int integer(String key) {
            JsonElement e = get(key);
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
                throw new CheckpointException(file + ": key " + prefix + key + " must be a number, not " + e);
            }
            int value = e.getAsInt();
            if (value <= 0) {
                throw new CheckpointException(file + ": key " + prefix + key + " must be positive, not " + value);
            }
            return value;
        }

        double real(String key) {
            return get(key).getAsDouble();
        }

        boolean bool(String key) {
            return get(key).getAsBoolean();
        }

        String string(String key) {
            return get(key).getAsString();
        }
    }
}
