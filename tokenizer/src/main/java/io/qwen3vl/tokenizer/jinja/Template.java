package io.qwen3vl.tokenizer.jinja;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Jinja template in the subset chat templates use, rendered the way Hugging Face's
 * {@code apply_chat_template} renders (trim_blocks, lstrip_blocks, loop controls, an immutable
 * sandbox: no mutating methods, {@code namespace} for state that crosses scopes).
 *
 * <p>Why our own interpreter: Jinjava (the Java Jinja engine) cannot render the Qwen3-VL template
 * (it fails on {@code namespace(value=0)} and lacks Python's {@code [::-1]}, {@code .startswith},
 * {@code .endswith}), and a prompt must match Python's output character for character: Python's
 * {@code str()} of values, {@code json.dumps} separators, Jinja's whitespace rules and undefined
 * semantics. A small lexer → parser → tree interpreter makes each of those rules explicit and
 * testable, and rejects constructs it does not know with a message naming them instead of
 * rendering something subtly different.
 */
public final class Template {
    private final String name;
    private final List<Node> body;

    private Template(String name, List<Node> body) {
        this.name = name;
        this.body = body;
    }

    /**
     * Parses a template.
     *
     * @param name how errors name the template (usually its file)
     * @throws TemplateException for syntax errors and unsupported constructs
     */
    public static Template parse(String name, String source) {
        return new Template(name, Parser.parse(name, source));
    }

    /**
     * Renders with the given variables (JSON-like values: Map, List, String, Number, Boolean, null).
     * Globals {@code namespace}, {@code range}, {@code dict} and {@code raise_exception} are provided.
     *
     * @throws TemplateException when rendering fails as it would in Jinja, or the template raises
     */
    public String render(Map<String, ?> variables) {
        Scope globals = new Scope(null);
        globals.set("namespace", (JinjaCallable) Template::namespace);
        globals.set("range", (JinjaCallable) Template::range);
        globals.set("dict", (JinjaCallable) (args, kwargs) -> {
            if (!args.isEmpty()) {
                throw new Py.Error("dict() with positional arguments is not supported");
            }
            return new LinkedHashMap<Object, Object>(kwargs);
        });
        globals.set("raise_exception", (JinjaCallable) (args, kwargs) -> {
            throw new Py.Error("template raised an exception: " + (args.isEmpty() ? "" : Py.str(args.get(0))));
        });
        try {
            variables.forEach((key, value) -> globals.set(key, Py.normalize(value)));
        } catch (Py.Error e) {
            throw new TemplateException(name, 0, e.getMessage());
        }
        return new Interpreter(name).render(body, new Scope(globals));
    }

    private static Object namespace(List<Object> args, Map<String, Object> kwargs) {
        Namespace ns = new Namespace();
        for (Object arg : args) {
            if (!(arg instanceof Map<?, ?> map)) {
                throw new Py.Error("namespace() positional argument must be a mapping");
            }
            map.forEach((k, v) -> ns.attributes.put(Py.str(k), v));
        }
        ns.attributes.putAll(kwargs);
        return ns;
    }

    private static Object range(List<Object> args, Map<String, Object> kwargs) {
        if (args.isEmpty() || args.size() > 3 || !kwargs.isEmpty()) {
            throw new Py.Error("range expected 1 to 3 integer arguments");
        }
        for (Object a : args) {
            if (!Py.isInt(a)) {
                throw new Py.Error("range() arguments must be integers, not " + Py.typeName(a));
            }
        }
        long start = args.size() == 1 ? 0 : Py.toLong(args.get(0));
        long stop = Py.toLong(args.get(args.size() == 1 ? 0 : 1));
        long step = args.size() == 3 ? Py.toLong(args.get(2)) : 1;
        if (step == 0) {
            throw new Py.Error("range() arg 3 must not be zero");
        }
        List<Object> out = new ArrayList<>();
        for (long i = start; step > 0 ? i < stop : i > stop; i += step) {
            out.add(i);
            if (out.size() > 1_000_000) {
                throw new Py.Error("range too big");
            }
        }
        return out;
    }
}
