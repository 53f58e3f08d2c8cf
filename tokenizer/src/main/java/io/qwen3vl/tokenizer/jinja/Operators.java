package io.qwen3vl.tokenizer.jinja;

import java.util.ArrayList;
import java.util.List;

/** Python's arithmetic, concatenation and comparison operators on template values. */
final class Operators {
    private Operators() {
    }

    static Object binary(String op, Object a, Object b) {
        if (op.equals("~")) {
            return Py.str(a) + Py.str(b);
        }
        if (a instanceof Undefined u) {
            throw new Py.Error(u.reason());
        }
        if (b instanceof Undefined u) {
            throw new Py.Error(u.reason());
        }
        if (Py.isNumber(a) && Py.isNumber(b)) {
            return arithmetic(op, a, b);
        }
        switch (op) {
            case "+":
                if (a instanceof String sa && b instanceof String sb) {
                    return sa + sb;
                }
                if (a instanceof List<?> la && b instanceof List<?> lb && (a instanceof Tuple) == (b instanceof Tuple)) {
                    List<Object> joined = new ArrayList<>(la);
                    joined.addAll(lb);
                    return a instanceof Tuple ? new Tuple(joined) : joined;
                }
                if (a instanceof String) {
                    throw new Py.Error("can only concatenate str (not \"" + Py.typeName(b) + "\") to str");
                }
                break;
            case "*":
                if ((a instanceof String || a instanceof List) && Py.isInt(b)) {
                    return repeat(a, Py.toLong(b));
                }
                if (Py.isInt(a) && (b instanceof String || b instanceof List)) {
                    return repeat(b, Py.toLong(a));
                }
                break;
            case "%":
                if (a instanceof String) {
                    throw new Py.Error("string formatting with % is not supported");
                }
                break;
            default:
                break;
        }
        throw new Py.Error("unsupported operand type(s) for " + op + ": '" + Py.typeName(a) + "' and '"
                + Py.typeName(b) + "'");
    }

    private static Object repeat(Object value, long times) {
        if (value instanceof String s) {
            return times <= 0 ? "" : s.repeat((int) times);
        }
        List<Object> out = new ArrayList<>();
        for (long i = 0; i < times; i++) {
            out.addAll((List<?>) value);
        }
        return value instanceof Tuple ? new Tuple(out) : out;
    }

    private static Object arithmetic(String op, Object a, Object b) {
        boolean ints = Py.isInt(a) && Py.isInt(b);
        switch (op) {
            case "+":
                return ints ? (Object) (Py.toLong(a) + Py.toLong(b)) : (Object) (Py.toDouble(a) + Py.toDouble(b));
            case "-":
                return ints ? (Object) (Py.toLong(a) - Py.toLong(b)) : (Object) (Py.toDouble(a) - Py.toDouble(b));
            case "*":
                return ints ? (Object) (Py.toLong(a) * Py.toLong(b)) : (Object) (Py.toDouble(a) * Py.toDouble(b));
            case "/":
                checkDivisor(b);
                return Py.toDouble(a) / Py.toDouble(b);
            case "//":
                checkDivisor(b);
                return ints ? (Object) Math.floorDiv(Py.toLong(a), Py.toLong(b))
                        : (Object) Math.floor(Py.toDouble(a) / Py.toDouble(b));
            case "%":
                checkDivisor(b);
                if (ints) {
                    return Math.floorMod(Py.toLong(a), Py.toLong(b));
                }
                double x = Py.toDouble(a);
                double y = Py.toDouble(b);
                return x - y * Math.floor(x / y);
            case "**":
                if (ints && Py.toLong(b) >= 0) {
                    long result = 1;
                    for (long i = 0; i < Py.toLong(b); i++) {
                        result *= Py.toLong(a);
                    }
                    return result;
                }
                return Math.pow(Py.toDouble(a), Py.toDouble(b));
            default:
                throw new Py.Error("unsupported operator " + op);
        }
    }

    private static void checkDivisor(Object b) {
        if (Py.toDouble(b) == 0) {
            throw new Py.Error("division by zero");
        }
    }

    static Object unary(String op, Object v) {
        if (v instanceof Undefined u) {
            throw new Py.Error(u.reason());
        }
        if (!Py.isNumber(v)) {
            throw new Py.Error("bad operand type for unary " + op + ": '" + Py.typeName(v) + "'");
        }
        if (op.equals("+")) {
            return v instanceof Boolean ? (Object) Py.toLong(v) : v;
        }
        return v instanceof Double d ? (Object) (-d) : (Object) (-Py.toLong(v));
    }

    static boolean compare(String op, Object a, Object b) {
        switch (op) {
            case "==":
                return Py.equal(a, b);
            case "!=":
                return !Py.equal(a, b);
            case "<":
                return Py.compare(a, b, op) < 0;
            case "<=":
                return Py.compare(a, b, op) <= 0;
            case ">":
                return Py.compare(a, b, op) > 0;
            case ">=":
                return Py.compare(a, b, op) >= 0;
            case "in":
                return Py.contains(b, a);
            case "not in":
                return !Py.contains(b, a);
            default:
                throw new Py.Error("unsupported comparison " + op);
        }
    }
}
