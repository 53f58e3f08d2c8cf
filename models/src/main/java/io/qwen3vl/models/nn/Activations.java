package io.qwen3vl.models.nn;

import ai.djl.ndarray.NDArray;

/** The activation functions Qwen3-VL configs name, composed from DJL primitives where DJL lacks them. */
public final class Activations {
    private static final float SQRT_2_OVER_PI = (float) Math.sqrt(2.0 / Math.PI);
    private static final float INV_SQRT_2 = (float) (1.0 / Math.sqrt(2.0));

    private Activations() {
    }

    /** Applies the activation named by a config's {@code hidden_act}. */
    public static NDArray apply(String name, NDArray x) {
        return switch (name) {
            case "silu", "swish" -> silu(x);
            case "gelu_pytorch_tanh", "gelu_new", "gelu_fast" -> geluTanh(x);
            case "gelu" -> geluErf(x);
            default -> throw new IllegalArgumentException("unsupported hidden_act '" + name + "'");
        };
    }

    public static NDArray silu(NDArray x) {
        return x.mul(x.getNDArrayInternal().sigmoid());
    }

    /** GELU in its tanh approximation: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). */
    public static NDArray geluTanh(NDArray x) {
        // The same operations in the same order as 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), but each
        // temporary is updated in place or closed once used: the vision MLP's activations are the
        // largest arrays of a video pass, and eight live copies of them would dominate its memory.
        NDArray inner = x.mul(x); // x·x·x as torch's own kernel forms the cube; pow() is a general powf
        inner.muli(x);
        inner.muli(0.044715f);
        inner.addi(x); // x³·c + x: float addition commutes exactly
        inner.muli(SQRT_2_OVER_PI);
        NDArray gate = inner.tanh();
        inner.close();
        gate.addi(1f);
        NDArray out = x.mul(0.5f);
        out.muli(gate);
        gate.close();
        return out;
    }

    /** Exact GELU: 0.5·x·(1 + erf(x/√2)). */
    public static NDArray geluErf(NDArray x) {
        return x.mul(0.5f).mul(x.mul(INV_SQRT_2).erf().add(1f));
    }
}
