package io.qwen3vl.tokenizer.jinja;

import java.util.List;

/** Expressions of a parsed template. */
sealed interface Expr {
    int line();

    record Literal(Object value, int line) implements Expr {
    }

    record Name(String name, int line) implements Expr {
    }

    record ListLiteral(List<Expr> items, int line) implements Expr {
    }

    record TupleLiteral(List<Expr> items, int line) implements Expr {
    }

    record DictLiteral(List<Expr> keys, List<Expr> values, int line) implements Expr {
    }

    /** {@code object.name}. */
    record Attribute(Expr object, String name, int line) implements Expr {
    }

    /** {@code object[key]}. */
    record Item(Expr object, Expr key, int line) implements Expr {
    }

    /** {@code object[start:stop:step]}; absent parts are null. */
    record Slice(Expr object, Expr start, Expr stop, Expr step, int line) implements Expr {
    }

    record Call(Expr callee, List<Expr> args, List<String> kwargNames, List<Expr> kwargValues, int line)
            implements Expr {
    }

    /** {@code value | name(args)}. */
    record Filter(Expr value, String name, List<Expr> args, List<String> kwargNames, List<Expr> kwargValues,
            int line) implements Expr {
    }

    /** {@code value is [not] name(args)}. */
    record Test(Expr value, String name, List<Expr> args, boolean negated, int line) implements Expr {
    }

    /** Arithmetic and string operators: + - * / // % ** ~. */
    record Binary(String op, Expr left, Expr right, int line) implements Expr {
    }

    /** Unary minus or plus. */
    record Unary(String op, Expr operand, int line) implements Expr {
    }

    /** Python-style chained comparison: {@code a < b <= c}, also {@code in} and {@code not in}. */
    record Compare(Expr first, List<String> ops, List<Expr> rest, int line) implements Expr {
    }

    record And(Expr left, Expr right, int line) implements Expr {
    }

    record Or(Expr left, Expr right, int line) implements Expr {
    }

    record Not(Expr operand, int line) implements Expr {
    }

    /** {@code a if cond else b}; a missing else gives undefined. */
    record Conditional(Expr condition, Expr then, Expr otherwise, int line) implements Expr {
    }
}
