package io.qwen3vl.tokenizer.jinja;

/** One lexical token of a template: literal text, a tag delimiter, or a piece of an expression. */
record Token(Kind kind, String text, int line) {
    enum Kind {
        TEXT, VAR_BEGIN, VAR_END, BLOCK_BEGIN, BLOCK_END, NAME, STRING, INTEGER, FLOAT, OPERATOR, EOF
    }

    boolean is(Kind k, String value) {
        return kind == k && text.equals(value);
    }

    boolean isOperator(String value) {
        return is(Kind.OPERATOR, value);
    }

    boolean isName(String value) {
        return is(Kind.NAME, value);
    }

    @Override
    public String toString() {
        return kind == Kind.EOF ? "end of template" : "'" + text + "'";
    }
}
