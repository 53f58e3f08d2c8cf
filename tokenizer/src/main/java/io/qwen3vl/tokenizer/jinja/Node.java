package io.qwen3vl.tokenizer.jinja;

import java.util.List;

/** Statements of a parsed template. */
sealed interface Node {
    int line();

    /** Literal text between tags. */
    record Text(String text, int line) implements Node {
    }

    /** {@code {{ expr }}}. */
    record Output(Expr expr, int line) implements Node {
    }

    /** {@code {% if %}...{% elif %}...{% else %}...{% endif %}}: one branch per condition, then the else body. */
    record If(List<Expr> conditions, List<List<Node>> branches, List<Node> otherwise, int line) implements Node {
    }

    /** {@code {% for targets in iterable [if filter] %}body{% else %}empty{% endfor %}}. */
    record For(List<String> targets, Expr iterable, Expr filter, List<Node> body, List<Node> empty, int line)
            implements Node {
    }

    /** {@code {% set name = value %}} or {@code {% set a, b = value %}}. */
    record Set(List<String> targets, Expr value, int line) implements Node {
    }

    /** {@code {% set ns.attribute = value %}}: the only assignment Jinja allows into an object. */
    record SetAttribute(Expr object, String attribute, Expr value, int line) implements Node {
    }

    /** {@code {% set name %}body{% endset %}}. */
    record SetBlock(String target, List<Node> body, int line) implements Node {
    }

    /** {@code {% macro name(params) %}body{% endmacro %}}; defaults are null for required parameters. */
    record Macro(String name, List<String> params, List<Expr> defaults, List<Node> body, int line) implements Node {
    }

    /** {@code {% break %}} / {@code {% continue %}} (Jinja's loopcontrols extension, enabled by Hugging Face). */
    record LoopControl(boolean isBreak, int line) implements Node {
    }

    /** {@code {% generation %}body{% endgeneration %}}: Hugging Face's assistant-mask marker, rendered as its body. */
    record Generation(List<Node> body, int line) implements Node {
    }
}
