package io.qwen3vl.models.checkpoint;

/**
 * Element types a safetensors header may name, with their size in bytes. Only F32, F16 and BF16
 * can be loaded as weights; the others are listed so that a valid file holding them still opens.
 */
public enum DType {
    F64(8), F32(4), F16(2), BF16(2), F8_E4M3(1), F8_E5M2(1),
    I64(8), I32(4), I16(2), I8(1), U64(8), U32(4), U16(2), U8(1), BOOL(1);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    public int bytes() {
        return bytes;
    }

    /** The safetensors dtype string, or null when it is not one we know. */
    public static DType parse(String name) {
        for (DType t : values()) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }
}
