package io.qwen3vl.tokenizer.jinja;

/**
 * A template that cannot be parsed or rendered: one line naming the template, the line in it and
 * the problem (an unsupported construct, an undefined value used where Jinja would fail, a
 * {@code raise_exception} call from the template itself...).
 */
public class TemplateException extends RuntimeException {
    public TemplateException(String template, int line, String problem) {
        super(template + (line > 0 ? ":" + line : "") + ": " + problem);
    }
}
