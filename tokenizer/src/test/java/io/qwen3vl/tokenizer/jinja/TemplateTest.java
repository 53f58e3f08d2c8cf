package io.qwen3vl.tokenizer.jinja;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Jinja behaviour the interpreter must reproduce. Each expected string is what Python's Jinja 3.1
 * renders in Hugging Face's chat-template environment (trim_blocks, lstrip_blocks, loopcontrols,
 * HF's tojson), worked out from Jinja's rules and checked against it.
 */
class TemplateTest {
    private static String render(String source, Object... keyValues) {
        Map<String, Object> vars = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            vars.put((String) keyValues[i], keyValues[i + 1]);
        }
        return Template.parse("test.jinja", source).render(vars);
    }

    // ---- whitespace -------------------------------------------------------------------------

    @Test
    void lstripBlocksAndTrimBlocksRemoveTagIndentationAndNewline() {
        assertEquals("  x\n  v", render("  {% if true %}\n  x\n  {% endif %}\n  {{ 'v' }}\n"));
    }

    @Test
    void lstripOnlyAppliesAtLineStartAndPlusDisablesIt() {
        assertEquals("a  b", render("a  {% if true %}b{% endif %}"));
        assertEquals("a\n  b", render("a\n  {%+ if true %}b{% endif %}"));
    }

    @Test
    void dashControlStripsAllWhitespaceIncludingNewlines() {
        assertEquals(" a bcd", render("{{- ' a ' -}}   \n  {{- 'b' }} \n {%- if true -%}  c  {%- endif -%}  d"));
        assertEquals("x\n  y\nz", render("x{%- if true %}\n\n  y\n{% endif -%}\n  z\n"));
    }

    @Test
    void commentsFollowBlockWhitespaceRules() {
        assertEquals("a\nbc  d", render("a\n  {# comment #}\nb\n   {#- c2 -#}   \n  c {# c3 #} d\n"));
        assertEquals("a b c", render("a {#- x #} b {# y -#} c"));
    }

    @Test
    void windowsNewlinesAreNormalisedAndOneTrailingNewlineDropped() {
        assertEquals("line1\nline2\nx\n", render("line1\r\nline2\r{{ 'x' }}\n\n"));
    }

    // ---- values print as Python prints them -------------------------------------------------

    @Test
    void numbersPrintAsPython() {
        assertEquals("1.0 1e-05 1e+16 0.0001 1.5 2.0 3 2 1024 0.30000000000000004 0.3333333333333333 123456789.123"
                + " 1.5e+300 -0.0",
                render("{{ 1.0 }} {{ 1e-5 }} {{ 1e16 }} {{ 0.0001 }} {{ 3/2 }} {{ 4/2 }} {{ 7//2 }} {{ -7 % 3 }}"
                        + " {{ 2**10 }} {{ 0.1+0.2 }} {{ 1/3 }} {{ 123456789.123 }} {{ 1.5e300 }} {{ -0.0 }}"));
        assertEquals("3 -4 -2 3.0 0.5 0.9 2", render("{{ 10 // 3 }} {{ -10 // 3 }} {{ 10 % -3 }} {{ 7.5 // 2 }}"
                + " {{ 2 ** -1 }} {{ 1 - 0.1 }} {{ true + 1 }}"));
    }

    @Test
    void containersPrintAsPythonRepr() {
        assertEquals("[3, 2, 1] bc (1, 2) (1,) {'a': 1, 'b': [None, True, \"x'y\"]} None True xNone",
                render("{{ [1,2,3][::-1] }} {{ 'abc'[1:] }} {{ (1,2) }} {{ (1,) }}"
                        + " {{ {'a':1, 'b': [none, true, 'x\\'y']} }} {{ none }} {{ true }} {{ 'x' ~ none }}"));
        assertEquals("['a\"b', \"c'd\", 'e\\nf']", render("{{ l }}", "l", List.of("a\"b", "c'd", "e\nf")));
    }

    @Test
    void slicingFollowsPython() {
        assertEquals("[2, 4] llo 3 cba [1, 2, 3] []", render("{{ [1,2,3,4,5][1:4:2] }} {{ 'hello'[-3:] }}"
                + " {{ [1,2,3][-1] }} {{ 'abc'[::-1] }} {{ [1,2,3,4][:-1] }} {{ [1,2,3,4][5:] }}"));
    }

    @Test
    void tojsonIsJsonDumpsWithoutAsciiEscaping() {
        Map<String, Object> value = new java.util.LinkedHashMap<>();
        value.put("a", java.util.Arrays.asList(1L, 2.5, null, true, "é\n\"\u2028\u007f\u0001\\"));
        value.put("b", Map.of());
        value.put("c", 1e20);
        assertEquals("{\"a\": [1, 2.5, null, true, \"é\\n\\\"\u2028\u007f\\u0001\\\\\"], \"b\": {}, \"c\": 1e+20}",
                render("{{ x|tojson }}", "x", value));
        assertEquals("{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": {}\n}",
                render("{{ {'a': [1, 2], 'b': {}}|tojson(indent=2) }}"));
        assertEquals("{\"a\": 1, \"b\": \"\\u00fc\"}",
                render("{{ {'b': 'ü', 'a': 1}|tojson(sort_keys=true, ensure_ascii=true) }}"));
    }

    // ---- scoping ----------------------------------------------------------------------------

    @Test
    void setInsideALoopIsLocalToEachIteration() {
        assertEquals("01;02;0", render("{% set x = 0 %}{% for i in [1,2] %}{{ x }}{% set x = i %}{{ x }};{% endfor %}{{ x }}"));
    }

    @Test
    void namespaceAttributesCarryOutOfLoops() {
        assertEquals("7x", render("{% set ns = namespace(a=1, b='x') %}{% for i in [1,2,3] %}{% set ns.a = ns.a + i %}"
                + "{% endfor %}{{ ns.a }}{{ ns.b }}"));
    }

    @Test
    void macrosSeeTemplateVariablesAtCallTimeAndKeepTheirOwnSets() {
        assertEquals("57", render("{% set a = 5 %}{% macro m() %}{{ a }}{{ b }}{% endmacro %}{% set b = 7 %}{{ m() }}"));
        assertEquals("15", render("{% macro m() %}{% set a = 1 %}{{ a }}{% endmacro %}{% set a = 5 %}{{ m() }}{{ a }}"));
        assertEquals("Hi a!Yo b!Hey c!", render("{% macro greet(name, greeting='Hi') %}{{ greeting }} {{ name }}!"
                + "{% endmacro %}{{ greet('a') }}{{ greet('b', 'Yo') }}{{ greet(name='c', greeting='Hey') }}"));
    }

    // ---- loops ------------------------------------------------------------------------------

    @Test
    void loopVariablesAndControls() {
        assertEquals("01TrueFalse332,12FalseFalse321,23FalseTrue310",
                render("{% for m in ms %}{{ loop.index0 }}{{ loop.index }}{{ loop.first }}{{ loop.last }}"
                        + "{{ loop.length }}{{ loop.revindex }}{{ loop.revindex0 }}{% if not loop.last %},{% endif %}"
                        + "{% endfor %}", "ms", List.of("a", "b", "c")));
        assertEquals("ac", render("{% for m in ms %}{% if m == 'b' %}{% continue %}{% endif %}"
                + "{% if m == 'd' %}{% break %}{% endif %}{{ m }}{% endfor %}", "ms", List.of("a", "b", "c", "d", "e")));
        assertEquals("empty", render("{% for x in [] %}a{% else %}empty{% endfor %}"));
        assertEquals("2142", render("{% for x in [1,2,3,4] if x is even %}{{ x }}{{ loop.index }}{% endfor %}"));
    }

    @Test
    void dictIterationAndUnpacking() {
        Map<String, Object> d = new java.util.LinkedHashMap<>();
        d.put("a", 1);
        d.put("b", List.of(1, 2));
        assertEquals("a=1;b=[1, 2];ab", render("{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}"
                + "{% for k in d %}{{ k }}{% endfor %}", "d", d));
    }

    // ---- undefined --------------------------------------------------------------------------

    @Test
    void undefinedRendersEmptyAndIsFalsyButFailsOnUse() {
        assertEquals("|0||z|False|False|False|dd|", render("{{ u }}|{{ u|length }}|{% for a in u %}x{% endfor %}"
                + "|{{ u ~ 'z' }}|{{ u == none }}|{{ u is defined }}|{{ u is none }}|{{ u|default('dd') }}|"));
        assertEquals("|", render("{{ x.y }}|{{ none.foo }}", "x", Map.of()));
        TemplateException e = assertThrows(TemplateException.class, () -> render("\n{{ 'a' + u }}"));
        assertEquals("test.jinja:2: 'u' is undefined", e.getMessage());
        e = assertThrows(TemplateException.class, () -> render("{{ x.y.z }}", "x", Map.of()));
        assertEquals("test.jinja:1: 'dict object' has no attribute 'y'", e.getMessage());
    }

    @Test
    void missingKeyOnAnItemIsUndefinedNotAnError() {
        assertEquals("T|", render("{{ x.content[0].text }}|{{ x.content[0].type }}",
                "x", Map.of("content", List.of(Map.of("text", "T")))));
    }

    // ---- operators, tests, filters, methods ---------------------------------------------------

    @Test
    void comparisonsAndBooleanOperatorsFollowPython() {
        assertEquals("True False True True True True True True True True",
                render("{{ 1 < 2 < 3 }} {{ 3 > 2 > 2 }} {{ 'a' in 'abc' }} {{ 'z' not in ['a'] }} {{ 1 in [1.0] }}"
                        + " {{ 'k' in {'k': 1} }} {{ not 1 == 2 }} {{ 1 == 1.0 }} {{ [1] == [1] }} {{ 'a' < 'b' }}"));
        assertEquals("x|y|False|", render("{{ 0 or 'x' }}|{{ 1 and 'y' }}|{{ none or false }}|{{ '' and 1 }}"));
        assertEquals("1||2|b", render("{{ 1 if true }}|{{ 1 if false }}|{{ 1 if false else 2 }}"
                + "|{{ 'a' if u is defined else 'b' }}"));
    }

    @Test
    void testsFollowPythonTypes() {
        assertEquals("FalseTrueTrueTrueFalseTrueTrueTrueTrueTrueTrueTrueTrueTrueTrue",
                render("{{ x is string }}{{ x is mapping }}{{ x is sequence }}{{ x is iterable }}{{ x is number }}"
                        + "{{ 3 is integer }}{{ 3.0 is float }}{{ true is boolean }}{{ false is false }}"
                        + "{{ none is none }}{{ 3 is odd }}{{ 4 is divisibleby 2 }}{{ x is not string }}"
                        + "{{ 1 is sameas 1 }}{{ 'a' is in 'abc' }}", "x", Map.of("a", 1)));
    }

    @Test
    void filtersAndStringMethods() {
        assertEquals("ABCabcx|Hello WorldHello1, 234cba[2, 1]bba42-33",
                render("{{ 'abc'|upper }}{{ 'ABC'|lower }}{{ ' x '|trim }}|{{ 'hello world'|title }}"
                        + "{{ 'hello'|capitalize }}{{ [1,2]|join(', ') }}{{ [3,4]|first }}{{ [3,4]|last }}"
                        + "{{ 'abc'|reverse }}{{ [1,2]|reverse|list }}{{ 'aaa'|replace('a','b',2) }}{{ 42|string }}"
                        + "{{ '3'|int - 6 }}{{ -3|abs }}"));
        assertEquals("TrueTrueABCa+bx | x|22a-b", render("{{ 'abc'.startswith('a') }}{{ 'abc'.endswith(('x','c')) }}"
                + "{{ 'abc'.upper() }}{{ 'a-b'.replace('-', '+') }}{{ ' x '.lstrip() }}|{{ ' x '.rstrip() }}|"
                + "{{ 'abcabc'.find('c') }}{{ 'abcabc'.count('bc') }}{{ '-'.join(['a','b']) }}"));
        assertEquals("['a', 'b', '', 'c'] ['a', 'b'] a ['a', 'b c'] ['a', 'b  '] z",
                render("{{ 'a,b,,c'.split(',') }} {{ ' a b '.split() }} {{ 'xxaxx'.strip('x') }}"
                        + " {{ 'a b c'.split(' ', 1) }} {{ '  a  b  '.split(none, 1) }}"
                        + " {{ 'x</think>y</think>z'.split('</think>')[-1] }}"));
        assertEquals("3 5 1", render("{{ [1,2,3]|length }} {{ 'héllo'|length }} {{ {'a':1}|length }}"));
    }

    @Test
    void dictMethodsWinOverKeysForAttributeAccess() {
        assertEquals("|3|1", render("{{ x.y }}|{{ x.get('y', 3) }}|{{ x['items'] }}", "x", Map.of("items", 1)));
    }

    @Test
    void blockSetCapturesText() {
        assertEquals("[inner 2]", render("{% set x %}inner {{ 1 + 1 }}{% endset %}[{{ x }}]"));
    }

    // ---- errors -----------------------------------------------------------------------------

    @Test
    void unsupportedStatementsAreNamedWithTheirLine() {
        TemplateException e = assertThrows(TemplateException.class,
                () -> Template.parse("chat.jinja", "ok\n{% raw %}x{% endraw %}"));
        assertEquals("chat.jinja:2: unsupported Jinja statement {% raw %}", e.getMessage());
        e = assertThrows(TemplateException.class, () -> Template.parse("chat.jinja", "{{ x is foo }}"));
        assertEquals("chat.jinja:1: unsupported test 'foo'", e.getMessage());
        e = assertThrows(TemplateException.class, () -> Template.parse("chat.jinja", "{% if x %}never closed"));
        assertEquals("chat.jinja:1: {% if %} is not closed by {% endif %}", e.getMessage());
    }

    @Test
    void typeErrorsAreReportedLikePython() {
        TemplateException e = assertThrows(TemplateException.class, () -> render("{{ 'a' + 1 }}"));
        assertEquals("test.jinja:1: can only concatenate str (not \"int\") to str", e.getMessage());
        e = assertThrows(TemplateException.class, () -> render("{% set x = 1 %}{% set x.y = 2 %}"));
        assertEquals("test.jinja:1: cannot assign attribute on non-namespace object", e.getMessage());
    }
}
