package io.qwen3vl.tokenizer.jinja;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** Jinja's built-in tests ({@code x is string}, {@code x is not none}...), with Python's type rules. */
final class Tests {
    private static final Set<String> SUPPORTED = Set.of("defined", "undefined", "none", "string", "number",
            "integer", "float", "boolean", "true", "false", "mapping", "sequence", "iterable", "callable", "odd",
            "even", "divisibleby", "eq", "equalto", "==", "ne", "!=", "lt", "<", "le", "<=", "gt", ">", "ge", ">=",
            "in", "sameas", "lower", "upper");

    private Tests() {
    }

    static boolean supports(String name) {
        return SUPPORTED.contains(name);
    }

    static boolean apply(String name, Object v, List<Object> args) {
        switch (name) {
            case "defined":
                return !(v instanceof Undefined);
            case "undefined":
                return v instanceof Undefined;
            case "none":
                return v == null;
            case "string":
                return v instanceof String;
            case "number":
                return Py.isNumber(v);
            case "integer":
                return v instanceof Long;
            case "float":
                return v instanceof Double;
            case "boolean":
                return v instanceof Boolean;
            case "true":
                return Boolean.TRUE.equals(v);
            case "false":
                return Boolean.FALSE.equals(v);
            case "mapping":
                return v instanceof Map;
            case "sequence":
                return v instanceof String || v instanceof List || v instanceof Map || v instanceof Undefined;
            case "iterable":
                return v instanceof String || v instanceof List || v instanceof Map || v instanceof Undefined;
            case "callable":
                return v instanceof JinjaCallable;
            case "odd":
                return Py.toLong(integer(v)) % 2 != 0;
            case "even":
                return Py.toLong(integer(v)) % 2 == 0;
            case "divisibleby":
                return Py.toLong(integer(v)) % Py.toLong(integer(arg(name, args))) == 0;
            case "eq":
            case "equalto":
            case "==":
                return Py.equal(v, arg(name, args));
            case "ne":
            case "!=":
                return !Py.equal(v, arg(name, args));
            case "lt":
            case "<":
                return Py.compare(v, arg(name, args), "<") < 0;
            case "le":
            case "<=":
                return Py.compare(v, arg(name, args), "<=") <= 0;
            case "gt":
            case ">":
                return Py.compare(v, arg(name, args), ">") > 0;
            case "ge":
            case ">=":
                return Py.compare(v, arg(name, args), ">=") >= 0;
            case "in":
                return Py.contains(arg(name, args), v);
            case "sameas": {
                Object other = arg(name, args);
                return v == other || (v instanceof Boolean && v.equals(other));
            }
            case "lower":
                return v instanceof String s && s.equals(Methods.lower(s));
            case "upper":
                return v instanceof String s && s.equals(Methods.upper(s));
            default:
                throw new Py.Error("unsupported test '" + name + "'");
        }
    }

    private static Object arg(String test, List<Object> args) {
        if (args.size() != 1) {
            throw new Py.Error("test '" + test + "' takes exactly one argument");
        }
        return args.get(0);
    }

    private static Object integer(Object v) {
        if (!Py.isInt(v)) {
            throw new Py.Error("unsupported operand type for integer test: '" + Py.typeName(v) + "'");
        }
        return v;
    }
}
