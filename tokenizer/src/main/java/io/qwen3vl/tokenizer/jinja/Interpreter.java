package io.qwen3vl.tokenizer.jinja;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Renders a parsed template: statements into text, expressions into values with Python semantics. */
final class Interpreter {
    private enum Flow { NORMAL, BREAK, CONTINUE }

    private final String name;

    Interpreter(String name) {
        this.name = name;
    }

    String render(List<Node> body, Scope root) {
        StringBuilder out = new StringBuilder();
        Flow flow = execute(body, root, out);
        if (flow != Flow.NORMAL) {
            throw new TemplateException(name, 0, "{% break %} or {% continue %} outside a loop");
        }
        return out.toString();
    }

    // ---- statements -------------------------------------------------------------------------

    private Flow execute(List<Node> body, Scope scope, StringBuilder out) {
        for (Node node : body) {
            Flow flow = execute(node, scope, out);
            if (flow != Flow.NORMAL) {
                return flow;
            }
        }
        return Flow.NORMAL;
    }

    private Flow execute(Node node, Scope scope, StringBuilder out) {
        try {
            return executeNode(node, scope, out);
        } catch (Py.Error e) {
            throw new TemplateException(name, node.line(), e.getMessage());
        }
    }

    private Flow executeNode(Node node, Scope scope, StringBuilder out) {
        if (node instanceof Node.Text t) {
            out.append(t.text());
        } else if (node instanceof Node.Output o) {
            out.append(Py.str(eval(o.expr(), scope)));
        } else if (node instanceof Node.If n) {
            for (int i = 0; i < n.conditions().size(); i++) {
                if (Py.truthy(eval(n.conditions().get(i), scope))) {
                    return execute(n.branches().get(i), scope, out);
                }
            }
            return execute(n.otherwise(), scope, out);
        } else if (node instanceof Node.For n) {
            executeFor(n, scope, out);
        } else if (node instanceof Node.Set n) {
            assign(n.targets(), eval(n.value(), scope), scope);
        } else if (node instanceof Node.SetAttribute n) {
            Object target = eval(n.object(), scope);
            if (!(target instanceof Namespace ns)) {
                throw new Py.Error("cannot assign attribute on non-namespace object");
            }
            ns.attributes.put(n.attribute(), eval(n.value(), scope));
        } else if (node instanceof Node.SetBlock n) {
            StringBuilder captured = new StringBuilder();
            execute(n.body(), scope, captured);
            scope.set(n.target(), captured.toString());
        } else if (node instanceof Node.Macro n) {
            scope.set(n.name(), new MacroValue(n, scope));
        } else if (node instanceof Node.LoopControl n) {
            return n.isBreak() ? Flow.BREAK : Flow.CONTINUE;
        } else if (node instanceof Node.Generation n) {
            return execute(n.body(), scope, out);
        }
        return Flow.NORMAL;
    }

    private void executeFor(Node.For n, Scope scope, StringBuilder out) {
        List<Object> items = Py.iterate(eval(n.iterable(), scope));
        if (n.filter() != null) {
            List<Object> kept = new ArrayList<>();
            for (Object item : items) {
                Scope probe = new Scope(scope);
                assign(n.targets(), item, probe);
                if (Py.truthy(eval(n.filter(), probe))) {
                    kept.add(item);
                }
            }
            items = kept;
        }
        if (items.isEmpty()) {
            execute(n.empty(), scope, out);
            return;
        }
        Loop loop = new Loop(items);
        for (int i = 0; i < items.size(); i++) {
            Scope iteration = new Scope(scope);
            loop.moveTo(i);
            iteration.set("loop", loop);
            assign(n.targets(), items.get(i), iteration);
            if (execute(n.body(), iteration, out) == Flow.BREAK) {
                break;
            }
        }
    }

    private static void assign(List<String> targets, Object value, Scope scope) {
        if (targets.size() == 1) {
            scope.set(targets.get(0), value);
            return;
        }
        List<Object> values = Py.iterate(value);
        if (values.size() != targets.size()) {
            throw new Py.Error("cannot unpack " + values.size() + " values into " + targets.size() + " names");
        }
        for (int i = 0; i < targets.size(); i++) {
            scope.set(targets.get(i), values.get(i));
        }
    }

    /** A macro bound to the scope it was defined in; a call renders its body in a fresh child scope. */
    private final class MacroValue implements JinjaCallable {
        private final Node.Macro macro;
        private final Scope definedIn;

        MacroValue(Node.Macro macro, Scope definedIn) {
            this.macro = macro;
            this.definedIn = definedIn;
        }

        @Override
        public Object call(List<Object> args, Map<String, Object> kwargs) {
            List<String> params = macro.params();
            if (args.size() > params.size()) {
                throw new Py.Error("macro '" + macro.name() + "' takes not more than " + params.size()
                        + " argument(s)");
            }
            Scope local = new Scope(definedIn);
            for (String key : kwargs.keySet()) {
                if (!params.contains(key)) {
                    throw new Py.Error("macro '" + macro.name() + "' takes no keyword argument '" + key + "'");
                }
            }
            for (int i = 0; i < params.size(); i++) {
                String param = params.get(i);
                Object value;
                if (i < args.size()) {
                    value = args.get(i);
                } else if (kwargs.containsKey(param)) {
                    value = kwargs.get(param);
                } else if (macro.defaults().get(i) != null) {
                    value = eval(macro.defaults().get(i), local);
                } else {
                    value = new Undefined("parameter '" + param + "' was not provided");
                }
                local.set(param, value);
            }
            StringBuilder out = new StringBuilder();
            execute(macro.body(), local, out);
            return out.toString();
        }

        @Override
        public String toString() {
            return "<Macro '" + macro.name() + "'>";
        }
    }

    // ---- expressions ------------------------------------------------------------------------

    Object eval(Expr expr, Scope scope) {
        try {
            return evalExpr(expr, scope);
        } catch (Py.Error e) {
            throw new TemplateException(name, expr.line(), e.getMessage());
        }
    }

    private Object evalExpr(Expr expr, Scope scope) {
        if (expr instanceof Expr.Literal e) {
            return e.value();
        } else if (expr instanceof Expr.Name e) {
            return scope.lookup(e.name());
        } else if (expr instanceof Expr.ListLiteral e) {
            List<Object> items = new ArrayList<>();
            e.items().forEach(item -> items.add(eval(item, scope)));
            return items;
        } else if (expr instanceof Expr.TupleLiteral e) {
            List<Object> items = new ArrayList<>();
            e.items().forEach(item -> items.add(eval(item, scope)));
            return new Tuple(items);
        } else if (expr instanceof Expr.DictLiteral e) {
            Map<Object, Object> map = new LinkedHashMap<>();
            for (int i = 0; i < e.keys().size(); i++) {
                map.put(eval(e.keys().get(i), scope), eval(e.values().get(i), scope));
            }
            return map;
        } else if (expr instanceof Expr.Attribute e) {
            return Methods.attribute(eval(e.object(), scope), e.name());
        } else if (expr instanceof Expr.Item e) {
            return Methods.item(eval(e.object(), scope), eval(e.key(), scope));
        } else if (expr instanceof Expr.Slice e) {
            return Methods.slice(eval(e.object(), scope), optional(e.start(), scope), optional(e.stop(), scope),
                    optional(e.step(), scope));
        } else if (expr instanceof Expr.Call e) {
            return call(e, scope);
        } else if (expr instanceof Expr.Filter e) {
            Object value = eval(e.value(), scope);
            return Filters.apply(e.name(), value, evalAll(e.args(), scope), kwargs(e.kwargNames(), e.kwargValues(), scope));
        } else if (expr instanceof Expr.Test e) {
            boolean result = Tests.apply(e.name(), eval(e.value(), scope), evalAll(e.args(), scope));
            return result != e.negated();
        } else if (expr instanceof Expr.Binary e) {
            return Operators.binary(e.op(), eval(e.left(), scope), eval(e.right(), scope));
        } else if (expr instanceof Expr.Unary e) {
            return Operators.unary(e.op(), eval(e.operand(), scope));
        } else if (expr instanceof Expr.Compare e) {
            Object left = eval(e.first(), scope);
            for (int i = 0; i < e.ops().size(); i++) {
                Object right = eval(e.rest().get(i), scope);
                if (!Operators.compare(e.ops().get(i), left, right)) {
                    return false;
                }
                left = right;
            }
            return true;
        } else if (expr instanceof Expr.And e) {
            Object left = eval(e.left(), scope);
            return Py.truthy(left) ? eval(e.right(), scope) : left;
        } else if (expr instanceof Expr.Or e) {
            Object left = eval(e.left(), scope);
            return Py.truthy(left) ? left : eval(e.right(), scope);
        } else if (expr instanceof Expr.Not e) {
            return !Py.truthy(eval(e.operand(), scope));
        } else if (expr instanceof Expr.Conditional e) {
            if (Py.truthy(eval(e.condition(), scope))) {
                return eval(e.then(), scope);
            }
            return e.otherwise() == null ? new Undefined("the inline if expression evaluated to false and no else"
                    + " section was defined") : eval(e.otherwise(), scope);
        }
        throw new Py.Error("unsupported expression " + expr.getClass().getSimpleName());
    }

    private Object optional(Expr expr, Scope scope) {
        return expr == null ? null : eval(expr, scope);
    }

    private List<Object> evalAll(List<Expr> exprs, Scope scope) {
        List<Object> values = new ArrayList<>(exprs.size());
        exprs.forEach(e -> values.add(eval(e, scope)));
        return values;
    }

    private Map<String, Object> kwargs(List<String> names, List<Expr> values, Scope scope) {
        Map<String, Object> kwargs = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            kwargs.put(names.get(i), eval(values.get(i), scope));
        }
        return kwargs;
    }

    private Object call(Expr.Call e, Scope scope) {
        Object callee = eval(e.callee(), scope);
        if (callee instanceof Undefined u) {
            throw new Py.Error(u.reason());
        }
        if (!(callee instanceof JinjaCallable function)) {
            throw new Py.Error("'" + Py.typeName(callee) + "' object is not callable");
        }
        return function.call(evalAll(e.args(), scope), kwargs(e.kwargNames(), e.kwargValues(), scope));
    }
}
