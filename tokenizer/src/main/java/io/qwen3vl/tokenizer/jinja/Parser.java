package io.qwen3vl.tokenizer.jinja;

import io.qwen3vl.tokenizer.jinja.Token.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Recursive-descent parser for the Jinja subset chat templates use, with Jinja's operator
 * precedence (or → and → not → comparisons → + - → ~ → * / // % → ** → unary → postfix, filters
 * and tests). Anything outside the subset fails here, naming the construct, rather than rendering
 * something different from Jinja.
 */
final class Parser {
    private static final Set<String> UNSUPPORTED_TAGS = Set.of("raw", "call", "filter", "include", "import",
            "from", "extends", "block", "with", "autoescape", "do", "trans", "pluralize", "print");
    private static final Set<String> COMPARISONS = Set.of("==", "!=", "<", "<=", ">", ">=");

    private final String name;
    private final List<Token> tokens;
    private int index;

    private Parser(String name, List<Token> tokens) {
        this.name = name;
        this.tokens = tokens;
    }

    static List<Node> parse(String name, String source) {
        Parser parser = new Parser(name, Lexer.tokenize(name, source));
        List<Node> body = parser.parseBody(Set.of(), null);
        if (parser.peek().kind() != Kind.EOF) {
            Token t = parser.peekAfterBlockBegin();
            throw parser.error(t, "unexpected {% " + t.text() + " %}");
        }
        return body;
    }

    // ---- statements -------------------------------------------------------------------------

    /**
     * Parses nodes until a block tag whose keyword is in {@code end} (left unconsumed), or EOF at the
     * top level ({@code opener} null); EOF inside {@code opener}'s block is an error.
     */
    private List<Node> parseBody(Set<String> end, Token opener) {
        List<Node> body = new ArrayList<>();
        while (true) {
            Token t = peek();
            switch (t.kind()) {
                case EOF:
                    if (opener != null) {
                        throw error(opener, "{% " + opener.text() + " %} is not closed by {% end" + opener.text()
                                + " %}");
                    }
                    return body;
                case TEXT:
                    next();
                    body.add(new Node.Text(t.text(), t.line()));
                    break;
                case VAR_BEGIN: {
                    next();
                    Expr e = parseTuple(true);
                    expect(Kind.VAR_END, "}}");
                    body.add(new Node.Output(e, t.line()));
                    break;
                }
                case BLOCK_BEGIN: {
                    Token keyword = peekAfterBlockBegin();
                    if (end.contains(keyword.text())) {
                        return body;
                    }
                    next();
                    body.add(parseStatement());
                    break;
                }
                default:
                    throw error(t, "unexpected " + t);
            }
        }
    }

    private Token peekAfterBlockBegin() {
        return index + 1 < tokens.size() ? tokens.get(index + 1) : peek();
    }

    private Node parseStatement() {
        Token keyword = next();
        if (keyword.kind() != Kind.NAME) {
            throw error(keyword, "expected a statement name after {%, got " + keyword);
        }
        switch (keyword.text()) {
            case "if":
                return parseIf(keyword);
            case "for":
                return parseFor(keyword);
            case "set":
                return parseSet(keyword);
            case "macro":
                return parseMacro(keyword);
            case "break":
            case "continue":
                expect(Kind.BLOCK_END, "%}");
                return new Node.LoopControl(keyword.text().equals("break"), keyword.line());
            case "generation": {
                expect(Kind.BLOCK_END, "%}");
                List<Node> body = parseBody(Set.of("endgeneration"), keyword);
                endTag("endgeneration", keyword);
                return new Node.Generation(body, keyword.line());
            }
            default:
                if (UNSUPPORTED_TAGS.contains(keyword.text())) {
                    throw error(keyword, "unsupported Jinja statement {% " + keyword.text() + " %}");
                }
                throw error(keyword, "unknown or misplaced statement {% " + keyword.text() + " %}");
        }
    }

    private Node parseIf(Token keyword) {
        List<Expr> conditions = new ArrayList<>();
        List<List<Node>> branches = new ArrayList<>();
        List<Node> otherwise = List.of();
        conditions.add(parseTuple(false));
        expect(Kind.BLOCK_END, "%}");
        branches.add(parseBody(Set.of("elif", "else", "endif"), keyword));
        while (true) {
            expect(Kind.BLOCK_BEGIN, "{%");
            Token t = next();
            if (t.isName("elif")) {
                conditions.add(parseTuple(false));
                expect(Kind.BLOCK_END, "%}");
                branches.add(parseBody(Set.of("elif", "else", "endif"), keyword));
            } else if (t.isName("else")) {
                expect(Kind.BLOCK_END, "%}");
                otherwise = parseBody(Set.of("endif"), keyword);
                endTag("endif", keyword);
                break;
            } else if (t.isName("endif")) {
                expect(Kind.BLOCK_END, "%}");
                break;
            } else {
                throw error(t, "expected elif, else or endif, got " + t);
            }
        }
        return new Node.If(conditions, branches, otherwise, keyword.line());
    }

    private Node parseFor(Token keyword) {
        List<String> targets = parseTargets();
        Token in = next();
        if (!in.isName("in")) {
            throw error(in, "expected 'in' in for loop, got " + in);
        }
        Expr iterable = parseTuple(false, false);
        Expr filter = null;
        if (peek().isName("if")) {
            next();
            filter = parseExpression(false);
        }
        if (peek().isName("recursive")) {
            throw error(peek(), "unsupported recursive for loop");
        }
        expect(Kind.BLOCK_END, "%}");
        List<Node> body = parseBody(Set.of("else", "endfor"), keyword);
        List<Node> empty = List.of();
        expect(Kind.BLOCK_BEGIN, "{%");
        Token t = next();
        if (t.isName("else")) {
            expect(Kind.BLOCK_END, "%}");
            empty = parseBody(Set.of("endfor"), keyword);
            endTag("endfor", keyword);
        } else if (t.isName("endfor")) {
            expect(Kind.BLOCK_END, "%}");
        } else {
            throw error(t, "expected else or endfor, got " + t);
        }
        return new Node.For(targets, iterable, filter, body, empty, keyword.line());
    }

    private List<String> parseTargets() {
        List<String> targets = new ArrayList<>();
        boolean parenthesized = peek().isOperator("(");
        if (parenthesized) {
            next();
        }
        do {
            Token t = next();
            if (t.kind() != Kind.NAME) {
                throw error(t, "expected a variable name, got " + t);
            }
            targets.add(t.text());
        } while (peek().isOperator(",") && next() != null);
        if (parenthesized) {
            expectOperator(")");
        }
        return targets;
    }

    private Node parseSet(Token keyword) {
        Token first = peek();
        if (first.kind() == Kind.NAME && tokens.get(index + 1).isOperator(".")) {
            next();
            next();
            Token attribute = next();
            if (attribute.kind() != Kind.NAME) {
                throw error(attribute, "expected an attribute name, got " + attribute);
            }
            expectOperator("=");
            Expr value = parseTuple(false);
            expect(Kind.BLOCK_END, "%}");
            return new Node.SetAttribute(new Expr.Name(first.text(), first.line()), attribute.text(), value,
                    keyword.line());
        }
        List<String> targets = parseTargets();
        if (peek().kind() == Kind.BLOCK_END && targets.size() == 1) {
            next();
            List<Node> body = parseBody(Set.of("endset"), keyword);
            endTag("endset", keyword);
            return new Node.SetBlock(targets.get(0), body, keyword.line());
        }
        if (peek().isOperator("|")) {
            throw error(peek(), "unsupported filtered {% set %} block");
        }
        expectOperator("=");
        Expr value = parseTuple(false);
        expect(Kind.BLOCK_END, "%}");
        return new Node.Set(targets, value, keyword.line());
    }

    private Node parseMacro(Token keyword) {
        Token macroName = next();
        if (macroName.kind() != Kind.NAME) {
            throw error(macroName, "expected a macro name, got " + macroName);
        }
        expectOperator("(");
        List<String> params = new ArrayList<>();
        List<Expr> defaults = new ArrayList<>();
        while (!peek().isOperator(")")) {
            if (!params.isEmpty()) {
                expectOperator(",");
            }
            Token p = next();
            if (p.kind() != Kind.NAME) {
                throw error(p, "expected a parameter name, got " + p);
            }
            params.add(p.text());
            if (peek().isOperator("=")) {
                next();
                defaults.add(parseExpression(true));
            } else {
                defaults.add(null);
            }
        }
        next();
        expect(Kind.BLOCK_END, "%}");
        List<Node> body = parseBody(Set.of("endmacro"), keyword);
        endTag("endmacro", keyword);
        return new Node.Macro(macroName.text(), params, defaults, body, keyword.line());
    }

    private void endTag(String keyword, Token opener) {
        Token begin = next();
        Token t = next();
        if (begin.kind() != Kind.BLOCK_BEGIN || !t.isName(keyword)) {
            throw error(opener, "{% " + opener.text() + " %} is not closed by {% " + keyword + " %}");
        }
        expect(Kind.BLOCK_END, "%}");
    }

    // ---- expressions ------------------------------------------------------------------------

    /** An expression or a bare tuple {@code a, b}. */
    private Expr parseTuple(boolean allowEmpty) {
        return parseTuple(allowEmpty, true);
    }

    private Expr parseTuple(boolean allowEmpty, boolean withConditional) {
        int line = peek().line();
        List<Expr> items = new ArrayList<>();
        boolean comma = false;
        while (true) {
            if (!items.isEmpty()) {
                if (!peek().isOperator(",")) {
                    break;
                }
                next();
                comma = true;
            }
            if (isTupleEnd()) {
                break;
            }
            items.add(parseExpression(withConditional));
        }
        if (items.isEmpty()) {
            throw error(peek(), "expected an expression, got " + peek());
        }
        return comma ? new Expr.TupleLiteral(items, line) : items.get(0);
    }

    private boolean isTupleEnd() {
        Token t = peek();
        return t.kind() == Kind.VAR_END || t.kind() == Kind.BLOCK_END || t.kind() == Kind.EOF
                || t.isOperator(")") || t.isOperator("]") || t.isOperator("}") || t.isName("if")
                || t.isName("in");
    }

    private Expr parseExpression(boolean withConditional) {
        return withConditional ? parseConditional() : parseOr();
    }

    private Expr parseConditional() {
        Expr expr = parseOr();
        while (peek().isName("if")) {
            int line = next().line();
            Expr condition = parseOr();
            Expr otherwise = null;
            if (peek().isName("else")) {
                next();
                otherwise = parseConditional();
            }
            expr = new Expr.Conditional(condition, expr, otherwise, line);
        }
        return expr;
    }

    private Expr parseOr() {
        Expr left = parseAnd();
        while (peek().isName("or")) {
            int line = next().line();
            left = new Expr.Or(left, parseAnd(), line);
        }
        return left;
    }

    private Expr parseAnd() {
        Expr left = parseNot();
        while (peek().isName("and")) {
            int line = next().line();
            left = new Expr.And(left, parseNot(), line);
        }
        return left;
    }

    private Expr parseNot() {
        if (peek().isName("not")) {
            int line = next().line();
            return new Expr.Not(parseNot(), line);
        }
        return parseCompare();
    }

    private Expr parseCompare() {
        int line = peek().line();
        Expr first = parseMath1();
        List<String> ops = new ArrayList<>();
        List<Expr> rest = new ArrayList<>();
        while (true) {
            Token t = peek();
            if (t.kind() == Kind.OPERATOR && COMPARISONS.contains(t.text())) {
                next();
                ops.add(t.text());
            } else if (t.isName("in")) {
                next();
                ops.add("in");
            } else if (t.isName("not") && tokens.get(index + 1).isName("in")) {
                next();
                next();
                ops.add("not in");
            } else {
                break;
            }
            rest.add(parseMath1());
        }
        return ops.isEmpty() ? first : new Expr.Compare(first, ops, rest, line);
    }

    private Expr parseMath1() {
        Expr left = parseConcat();
        while (peek().isOperator("+") || peek().isOperator("-")) {
            Token op = next();
            left = new Expr.Binary(op.text(), left, parseConcat(), op.line());
        }
        return left;
    }

    private Expr parseConcat() {
        Expr left = parseMath2();
        while (peek().isOperator("~")) {
            Token op = next();
            left = new Expr.Binary("~", left, parseMath2(), op.line());
        }
        return left;
    }

    private Expr parseMath2() {
        Expr left = parsePow();
        while (peek().isOperator("*") || peek().isOperator("/") || peek().isOperator("//")
                || peek().isOperator("%")) {
            Token op = next();
            left = new Expr.Binary(op.text(), left, parsePow(), op.line());
        }
        return left;
    }

    private Expr parsePow() {
        Expr left = parseUnary(true);
        while (peek().isOperator("**")) {
            Token op = next();
            left = new Expr.Binary("**", left, parseUnary(true), op.line());
        }
        return left;
    }

    private Expr parseUnary(boolean withFilter) {
        Token t = peek();
        Expr node;
        if (t.isOperator("-") || t.isOperator("+")) {
            next();
            node = new Expr.Unary(t.text(), parseUnary(false), t.line());
        } else {
            node = parsePrimary();
        }
        node = parsePostfix(node);
        return withFilter ? parseFilterExpr(node) : node;
    }

    private Expr parsePrimary() {
        Token t = next();
        switch (t.kind()) {
            case NAME:
                switch (t.text()) {
                    case "true":
                    case "True":
                        return new Expr.Literal(Boolean.TRUE, t.line());
                    case "false":
                    case "False":
                        return new Expr.Literal(Boolean.FALSE, t.line());
                    case "none":
                    case "None":
                        return new Expr.Literal(null, t.line());
                    default:
                        return new Expr.Name(t.text(), t.line());
                }
            case STRING: {
                StringBuilder s = new StringBuilder(t.text());
                while (peek().kind() == Kind.STRING) {
                    s.append(next().text());
                }
                return new Expr.Literal(s.toString(), t.line());
            }
            case INTEGER:
                try {
                    return new Expr.Literal(Long.parseLong(t.text()), t.line());
                } catch (NumberFormatException e) {
                    throw error(t, "integer literal out of range: " + t.text());
                }
            case FLOAT:
                return new Expr.Literal(Double.parseDouble(t.text()), t.line());
            case OPERATOR:
                if (t.text().equals("(")) {
                    return parseParenthesized(t);
                } else if (t.text().equals("[")) {
                    List<Expr> items = new ArrayList<>();
                    while (!peek().isOperator("]")) {
                        if (!items.isEmpty()) {
                            expectOperator(",");
                            if (peek().isOperator("]")) {
                                break;
                            }
                        }
                        items.add(parseExpression(true));
                    }
                    next();
                    return new Expr.ListLiteral(items, t.line());
                } else if (t.text().equals("{")) {
                    List<Expr> keys = new ArrayList<>();
                    List<Expr> values = new ArrayList<>();
                    while (!peek().isOperator("}")) {
                        if (!keys.isEmpty()) {
                            expectOperator(",");
                            if (peek().isOperator("}")) {
                                break;
                            }
                        }
                        keys.add(parseExpression(true));
                        expectOperator(":");
                        values.add(parseExpression(true));
                    }
                    next();
                    return new Expr.DictLiteral(keys, values, t.line());
                }
                break;
            default:
                break;
        }
        throw error(t, "unexpected " + t + " in expression");
    }

    private Expr parseParenthesized(Token open) {
        if (peek().isOperator(")")) {
            next();
            return new Expr.TupleLiteral(List.of(), open.line());
        }
        Expr first = parseExpression(true);
        if (peek().isOperator(")")) {
            next();
            return first;
        }
        List<Expr> items = new ArrayList<>();
        items.add(first);
        while (peek().isOperator(",")) {
            next();
            if (peek().isOperator(")")) {
                break;
            }
            items.add(parseExpression(true));
        }
        expectOperator(")");
        return new Expr.TupleLiteral(items, open.line());
    }

    private Expr parsePostfix(Expr node) {
        while (true) {
            Token t = peek();
            if (t.isOperator(".")) {
                next();
                Token attr = next();
                if (attr.kind() == Kind.NAME) {
                    node = new Expr.Attribute(node, attr.text(), attr.line());
                } else if (attr.kind() == Kind.INTEGER) {
                    node = new Expr.Item(node, new Expr.Literal(Long.parseLong(attr.text()), attr.line()), attr.line());
                } else {
                    throw error(attr, "expected an attribute name after '.', got " + attr);
                }
            } else if (t.isOperator("[")) {
                next();
                node = parseSubscript(node, t);
            } else if (t.isOperator("(")) {
                node = parseCall(node);
            } else {
                return node;
            }
        }
    }

    private Expr parseSubscript(Expr node, Token open) {
        Expr[] parts = new Expr[3];
        int part = 0;
        boolean slice = false;
        while (!peek().isOperator("]")) {
            if (peek().isOperator(":")) {
                next();
                slice = true;
                part++;
                if (part > 2) {
                    throw error(open, "too many ':' in slice");
                }
                continue;
            }
            if (parts[part] != null) {
                throw error(peek(), "unsupported subscript (tuple index)");
            }
            parts[part] = parseExpression(true);
        }
        next();
        if (!slice) {
            if (parts[0] == null) {
                throw error(open, "empty subscript []");
            }
            return new Expr.Item(node, parts[0], open.line());
        }
        return new Expr.Slice(node, parts[0], parts[1], parts[2], open.line());
    }

    private Expr parseCall(Expr callee) {
        Token open = next();
        List<Expr> args = new ArrayList<>();
        List<String> kwargNames = new ArrayList<>();
        List<Expr> kwargValues = new ArrayList<>();
        parseArguments(args, kwargNames, kwargValues);
        return new Expr.Call(callee, args, kwargNames, kwargValues, open.line());
    }

    /** Parses {@code a, b, key=value)} after an opening parenthesis, consuming the ')'. */
    private void parseArguments(List<Expr> args, List<String> kwargNames, List<Expr> kwargValues) {
        boolean first = true;
        while (!peek().isOperator(")")) {
            if (!first) {
                expectOperator(",");
                if (peek().isOperator(")")) {
                    break;
                }
            }
            first = false;
            if (peek().isOperator("*") || peek().isOperator("**")) {
                throw error(peek(), "unsupported *args / **kwargs in call");
            }
            if (peek().kind() == Kind.NAME && tokens.get(index + 1).isOperator("=")) {
                kwargNames.add(next().text());
                next();
                kwargValues.add(parseExpression(true));
            } else {
                if (!kwargNames.isEmpty()) {
                    throw error(peek(), "positional argument after keyword argument");
                }
                args.add(parseExpression(true));
            }
        }
        next();
    }

    private Expr parseFilterExpr(Expr node) {
        while (true) {
            Token t = peek();
            if (t.isOperator("|")) {
                next();
                Token filterName = next();
                if (filterName.kind() != Kind.NAME) {
                    throw error(filterName, "expected a filter name after '|', got " + filterName);
                }
                if (!Filters.supports(filterName.text())) {
                    throw error(filterName, "unsupported filter '" + filterName.text() + "'");
                }
                List<Expr> args = new ArrayList<>();
                List<String> kwargNames = new ArrayList<>();
                List<Expr> kwargValues = new ArrayList<>();
                if (peek().isOperator("(")) {
                    next();
                    parseArguments(args, kwargNames, kwargValues);
                }
                node = new Expr.Filter(node, filterName.text(), args, kwargNames, kwargValues, filterName.line());
            } else if (t.isName("is")) {
                next();
                boolean negated = false;
                if (peek().isName("not")) {
                    next();
                    negated = true;
                }
                Token testName = next();
                if (testName.kind() != Kind.NAME) {
                    throw error(testName, "expected a test name after 'is', got " + testName);
                }
                if (!Tests.supports(testName.text())) {
                    throw error(testName, "unsupported test '" + testName.text() + "'");
                }
                List<Expr> args = new ArrayList<>();
                if (peek().isOperator("(")) {
                    next();
                    List<String> kwargNames = new ArrayList<>();
                    parseArguments(args, kwargNames, new ArrayList<>());
                    if (!kwargNames.isEmpty()) {
                        throw error(testName, "unsupported keyword arguments to test '" + testName.text() + "'");
                    }
                } else if (startsTestArgument(peek())) {
                    args.add(parsePostfix(parsePrimary()));
                }
                node = new Expr.Test(node, testName.text(), args, negated, testName.line());
            } else if (t.isOperator("(")) {
                node = parseCall(node);
            } else {
                return node;
            }
        }
    }

    private static boolean startsTestArgument(Token t) {
        switch (t.kind()) {
            case NAME:
                return !Set.of("else", "or", "and", "if", "in", "not", "is").contains(t.text());
            case STRING:
            case INTEGER:
            case FLOAT:
                return true;
            case OPERATOR:
                return t.text().equals("[") || t.text().equals("{");
            default:
                return false;
        }
    }

    // ---- token helpers ----------------------------------------------------------------------

    private Token peek() {
        return tokens.get(index);
    }

    private Token next() {
        Token t = tokens.get(index);
        if (t.kind() != Kind.EOF) {
            index++;
        }
        return t;
    }

    private void expect(Kind kind, String what) {
        Token t = next();
        if (t.kind() != kind) {
            throw error(t, "expected '" + what + "', got " + t);
        }
    }

    private void expectOperator(String op) {
        Token t = next();
        if (!t.isOperator(op)) {
            throw error(t, "expected '" + op + "', got " + t);
        }
    }

    private TemplateException error(Token at, String problem) {
        return new TemplateException(name, at.line(), problem);
    }
}
