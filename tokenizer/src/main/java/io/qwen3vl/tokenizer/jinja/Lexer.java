package io.qwen3vl.tokenizer.jinja;

import io.qwen3vl.tokenizer.jinja.Token.Kind;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Splits a template into tokens with the whitespace rules Hugging Face's {@code apply_chat_template}
 * sets on Jinja: {@code trim_blocks} (the newline right after a block or comment tag is dropped),
 * {@code lstrip_blocks} (spaces and tabs between a line start and a block or comment tag are
 * dropped), explicit {@code -} / {@code +} control on each tag, and one trailing newline of the
 * source removed ({@code keep_trailing_newline=False}). The rules follow Jinja's lexer, including
 * when a tag counts as starting a line.
 */
final class Lexer {
    private static final String[] OPERATORS = {
        "//", "**", "==", "!=", ">=", "<=",
        "+", "-", "/", "*", "%", "~", "[", "]", "(", ")", "{", "}", "=", ".", ":", "|", ",", ";", "<", ">"};

    private final String name;
    private final String src;
    private final List<Token> tokens = new ArrayList<>();
    private int pos;
    private int line = 1;

    private Lexer(String name, String source) {
        this.name = name;
        String normalized = source.replace("\r\n", "\n").replace('\r', '\n');
        this.src = normalized.endsWith("\n") ? normalized.substring(0, normalized.length() - 1) : normalized;
    }

    static List<Token> tokenize(String name, String source) {
        Lexer lexer = new Lexer(name, source);
        lexer.run();
        return lexer.tokens;
    }

    private void run() {
        boolean lineStarting = true;
        while (pos < src.length()) {
            int open = nextTagStart(pos);
            if (open < 0) {
                emitText(src.substring(pos));
                pos = src.length();
                break;
            }
            char type = src.charAt(open + 1);
            char sign = open + 2 < src.length() ? src.charAt(open + 2) : 0;
            String text = src.substring(pos, open);
            if (sign == '-') {
                text = Py.rstrip(text, null);
            } else if (sign != '+' && type != '{') {
                int lineStart = text.lastIndexOf('\n') + 1;
                if ((lineStart > 0 || lineStarting) && lineStart < text.length()
                        && isBlank(text, lineStart)) {
                    text = text.substring(0, lineStart);
                }
            }
            emitText(text);
            line += countNewlines(src, pos, open);
            pos = open + 2 + (sign == '-' || sign == '+' ? 1 : 0);
            if (type == '#') {
                skipComment();
            } else {
                boolean block = type == '%';
                tokens.add(new Token(block ? Kind.BLOCK_BEGIN : Kind.VAR_BEGIN, block ? "{%" : "{{", line));
                lexTag(block);
            }
            lineStarting = pos > 0 && src.charAt(pos - 1) == '\n';
        }
        tokens.add(new Token(Kind.EOF, "", line));
    }

    private int nextTagStart(int from) {
        int i = src.indexOf('{', from);
        while (i >= 0 && i + 1 < src.length()) {
            char c = src.charAt(i + 1);
            if (c == '{' || c == '%' || c == '#') {
                return i;
            }
            i = src.indexOf('{', i + 1);
        }
        return -1;
    }

    private void emitText(String text) {
        if (!text.isEmpty()) {
            tokens.add(new Token(Kind.TEXT, text, line));
        }
    }

    private void skipComment() {
        int end = src.indexOf("#}", pos);
        if (end < 0) {
            throw new TemplateException(name, line, "missing end of comment tag");
        }
        char before = end > pos ? src.charAt(end - 1) : 0;
        line += countNewlines(src, pos, end);
        pos = end + 2;
        if (before == '-') {
            skipWhitespaceAfterTag();
        } else if (before != '+' && pos < src.length() && src.charAt(pos) == '\n') {
            pos++;
            line++;
        }
    }

    private void lexTag(boolean block) {
        Deque<Character> brackets = new ArrayDeque<>();
        int tagLine = line;
        while (true) {
            while (pos < src.length() && Py.isSpace(src.charAt(pos))) {
                if (src.charAt(pos) == '\n') {
                    line++;
                }
                pos++;
            }
            if (pos >= src.length()) {
                throw new TemplateException(name, tagLine, "unclosed " + (block ? "block tag {%" : "expression {{"));
            }
            if (brackets.isEmpty() && endOfTag(block)) {
                return;
            }
            char c = src.charAt(pos);
            if (Character.isLetter(c) || c == '_') {
                int start = pos;
                while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
                    pos++;
                }
                tokens.add(new Token(Kind.NAME, src.substring(start, pos), line));
            } else if (Character.isDigit(c)) {
                lexNumber();
            } else if (c == '\'' || c == '"') {
                lexString(c);
            } else {
                String op = operatorAt();
                if (op == null) {
                    throw new TemplateException(name, line, "unexpected character '" + c + "'");
                }
                if (op.equals("(") || op.equals("[") || op.equals("{")) {
                    brackets.push(op.equals("(") ? ')' : op.equals("[") ? ']' : '}');
                } else if (op.equals(")") || op.equals("]") || op.equals("}")) {
                    if (brackets.isEmpty() || brackets.pop() != op.charAt(0)) {
                        throw new TemplateException(name, line, "unexpected '" + op + "'");
                    }
                }
                tokens.add(new Token(Kind.OPERATOR, op, line));
                pos += op.length();
            }
        }
    }

    /** Consumes the closing delimiter (with its whitespace control) when it is at pos. */
    private boolean endOfTag(boolean block) {
        String close = block ? "%}" : "}}";
        if (src.startsWith("-" + close, pos)) {
            pos += 3;
            tokens.add(new Token(block ? Kind.BLOCK_END : Kind.VAR_END, close, line));
            skipWhitespaceAfterTag();
            return true;
        }
        if (block && src.startsWith("+" + close, pos)) {
            pos += 3;
            tokens.add(new Token(Kind.BLOCK_END, close, line));
            return true;
        }
        if (src.startsWith(close, pos)) {
            pos += 2;
            tokens.add(new Token(block ? Kind.BLOCK_END : Kind.VAR_END, close, line));
            if (block && pos < src.length() && src.charAt(pos) == '\n') {
                pos++;
                line++;
            }
            return true;
        }
        return false;
    }

    private void skipWhitespaceAfterTag() {
        while (pos < src.length() && Py.isSpace(src.charAt(pos))) {
            if (src.charAt(pos) == '\n') {
                line++;
            }
            pos++;
        }
    }

    private String operatorAt() {
        for (String op : OPERATORS) {
            if (src.startsWith(op, pos)) {
                return op;
            }
        }
        return null;
    }

    private void lexNumber() {
        int start = pos;
        skipDigits();
        boolean isFloat = false;
        if (pos + 1 < src.length() && src.charAt(pos) == '.' && Character.isDigit(src.charAt(pos + 1))) {
            isFloat = true;
            pos++;
            skipDigits();
        }
        if (pos < src.length() && (src.charAt(pos) == 'e' || src.charAt(pos) == 'E')) {
            int save = pos;
            pos++;
            if (pos < src.length() && (src.charAt(pos) == '+' || src.charAt(pos) == '-')) {
                pos++;
            }
            if (pos < src.length() && Character.isDigit(src.charAt(pos))) {
                isFloat = true;
                skipDigits();
            } else {
                pos = save;
            }
        }
        String text = src.substring(start, pos).replace("_", "");
        tokens.add(new Token(isFloat ? Kind.FLOAT : Kind.INTEGER, text, line));
    }

    private void skipDigits() {
        while (pos < src.length() && (Character.isDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
            pos++;
        }
    }

    private void lexString(char quote) {
        int startLine = line;
        StringBuilder out = new StringBuilder();
        pos++;
        while (true) {
            if (pos >= src.length()) {
                throw new TemplateException(name, startLine, "unterminated string");
            }
            char c = src.charAt(pos++);
            if (c == quote) {
                break;
            }
            if (c == '\n') {
                line++;
            }
            if (c != '\\' || pos >= src.length()) {
                out.append(c);
                continue;
            }
            char e = src.charAt(pos++);
            switch (e) {
                case 'n': out.append('\n'); break;
                case 't': out.append('\t'); break;
                case 'r': out.append('\r'); break;
                case '\\': out.append('\\'); break;
                case '\'': out.append('\''); break;
                case '"': out.append('"'); break;
                case 'a': out.append('\u0007'); break;
                case 'b': out.append('\b'); break;
                case 'f': out.append('\f'); break;
                case 'v': out.append('\u000B'); break;
                case '0': out.append('\0'); break;
                case '\n': line++; break; // line continuation
                case 'x': out.append((char) hex(2)); break;
                case 'u': out.append((char) hex(4)); break;
                case 'U': out.appendCodePoint(hex(8)); break;
                default: out.append('\\').append(e); break;
            }
        }
        tokens.add(new Token(Kind.STRING, out.toString(), startLine));
    }

    private int hex(int digits) {
        if (pos + digits > src.length()) {
            throw new TemplateException(name, line, "truncated \\x/\\u escape in string");
        }
        try {
            int value = Integer.parseInt(src.substring(pos, pos + digits), 16);
            pos += digits;
            return value;
        } catch (NumberFormatException e) {
            throw new TemplateException(name, line, "bad escape in string: " + src.substring(pos - 2, pos + digits));
        }
    }

    private static boolean isBlank(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            if (!Py.isSpace(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static int countNewlines(String s, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            if (s.charAt(i) == '\n') {
                n++;
            }
        }
        return n;
    }
}
