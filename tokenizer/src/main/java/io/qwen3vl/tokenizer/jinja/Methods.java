package io.qwen3vl.tokenizer.jinja;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Attribute lookup on values, Jinja style: a dict's methods ({@code get}, {@code items}...) win over
 * its keys for {@code d.name} (Python attribute first), strings expose the {@code str} methods
 * templates call ({@code startswith}, {@code split}, {@code strip}...). Mutating methods do not
 * exist, as in the immutable sandbox Hugging Face renders in.
 */
final class Methods {
    private Methods() {
    }

    /** {@code owner.name}: a bound method, a dict entry, a namespace attribute, or undefined. */
    static Object attribute(Object owner, String name) {
        if (owner instanceof Undefined u) {
            throw new Py.Error(u.reason());
        }
        if (owner instanceof String s) {
            JinjaCallable m = stringMethod(s, name);
            return m != null ? m : Undefined.attribute(owner, name);
        }
        if (owner instanceof Map<?, ?> map) {
            JinjaCallable m = dictMethod(map, name);
            if (m != null) {
                return m;
            }
            return map.containsKey(name) ? map.get(name) : Undefined.attribute(owner, name);
        }
        if (owner instanceof Namespace ns) {
            return ns.attributes.containsKey(name) ? ns.attributes.get(name) : Undefined.attribute(owner, name);
        }
        if (owner instanceof Loop loop) {
            return loop.attribute(name);
        }
        return Undefined.attribute(owner, name);
    }

    /** {@code owner[key]}: Python subscription first, then attribute lookup (Jinja's getitem). */
    static Object item(Object owner, Object key) {
        if (owner instanceof Undefined u) {
            throw new Py.Error(u.reason());
        }
        if (owner instanceof Map<?, ?> map) {
            if (map.containsKey(key)) {
                return map.get(key);
            }
        } else if ((owner instanceof List || owner instanceof String) && Py.isInt(key)) {
            List<Object> items = owner instanceof String s ? Py.iterate(s) : asList(owner);
            long i = Py.toLong(key);
            if (i < 0) {
                i += items.size();
            }
            if (i >= 0 && i < items.size()) {
                return items.get((int) i);
            }
            return Undefined.item(owner, key);
        }
        if (key instanceof String name) {
            return attribute(owner, name);
        }
        return Undefined.item(owner, key);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> asList(Object owner) {
        return (List<Object>) owner;
    }

    /** Python slicing {@code owner[start:stop:step]} of a list, tuple or string. */
    static Object slice(Object owner, Object start, Object stop, Object step) {
        if (owner instanceof Undefined u) {
            throw new Py.Error(u.reason());
        }
        boolean isString = owner instanceof String;
        if (!isString && !(owner instanceof List)) {
            throw new Py.Error("'" + Py.typeName(owner) + "' object is not subscriptable");
        }
        List<Object> items = isString ? Py.iterate(owner) : asList(owner);
        int n = items.size();
        long st = step == null ? 1 : sliceIndex(step);
        if (st == 0) {
            throw new Py.Error("slice step cannot be zero");
        }
        long lo;
        long hi;
        if (st > 0) {
            lo = start == null ? 0 : clamp(sliceIndex(start), n, 0, n);
            hi = stop == null ? n : clamp(sliceIndex(stop), n, 0, n);
        } else {
            lo = start == null ? n - 1 : clamp(sliceIndex(start), n, -1, n - 1);
            hi = stop == null ? -1 : clamp(sliceIndex(stop), n, -1, n - 1);
        }
        List<Object> out = new ArrayList<>();
        for (long i = lo; st > 0 ? i < hi : i > hi; i += st) {
            out.add(items.get((int) i));
        }
        if (isString) {
            StringBuilder s = new StringBuilder();
            out.forEach(c -> s.append((String) c));
            return s.toString();
        }
        return owner instanceof Tuple ? new Tuple(out) : out;
    }

    private static long sliceIndex(Object v) {
        if (!Py.isInt(v)) {
            throw new Py.Error("slice indices must be integers or None");
        }
        return Py.toLong(v);
    }

    private static long clamp(long i, int n, long min, long max) {
        if (i < 0) {
            i += n;
        }
        return Math.max(min, Math.min(max, i));
    }

    private static JinjaCallable dictMethod(Map<?, ?> map, String name) {
        switch (name) {
            case "get":
                return (args, kwargs) -> {
                    Args a = new Args("get", args, kwargs, 2);
                    Object key = a.get(0, "key", null);
                    return map.containsKey(key) ? map.get(key) : a.get(1, "default", null);
                };
            case "items":
                return (args, kwargs) -> {
                    new Args("items", args, kwargs, 0);
                    return items(map);
                };
            case "keys":
                return (args, kwargs) -> {
                    new Args("keys", args, kwargs, 0);
                    return new ArrayList<Object>(map.keySet());
                };
            case "values":
                return (args, kwargs) -> {
                    new Args("values", args, kwargs, 0);
                    return new ArrayList<Object>(map.values());
                };
            default:
                return null;
        }
    }

    static List<Object> items(Map<?, ?> map) {
        List<Object> out = new ArrayList<>();
        map.forEach((k, v) -> {
            List<Object> pair = new ArrayList<>();
            pair.add(k);
            pair.add(v);
            out.add(new Tuple(pair));
        });
        return out;
    }

    private static JinjaCallable stringMethod(String s, String name) {
        switch (name) {
            case "startswith":
            case "endswith":
                return (args, kwargs) -> {
                    Args a = new Args(name, args, kwargs, 1);
                    Object affix = a.get(0, "prefix", null);
                    List<Object> options = affix instanceof List<?> ? asList(affix) : List.of(String.valueOf(affix));
                    if (!(affix instanceof String) && !(affix instanceof List)) {
                        throw new Py.Error(name + " first arg must be str or a tuple of str, not "
                                + Py.typeName(affix));
                    }
                    for (Object o : options) {
                        String x = (String) o;
                        if (name.equals("startswith") ? s.startsWith(x) : s.endsWith(x)) {
                            return true;
                        }
                    }
                    return false;
                };
            case "split":
                return (args, kwargs) -> {
                    Args a = new Args(name, args, kwargs, 2);
                    return split(s, a.string(0, "sep", null), a.integer(1, "maxsplit", -1));
                };
            case "strip":
                return (args, kwargs) -> Py.strip(s, new Args(name, args, kwargs, 1).string(0, "chars", null));
            case "lstrip":
                return (args, kwargs) -> Py.lstrip(s, new Args(name, args, kwargs, 1).string(0, "chars", null));
            case "rstrip":
                return (args, kwargs) -> Py.rstrip(s, new Args(name, args, kwargs, 1).string(0, "chars", null));
            case "replace":
                return (args, kwargs) -> {
                    Args a = new Args(name, args, kwargs, 3);
                    return replace(s, a.string(0, "old", null), a.string(1, "new", null), a.integer(2, "count", -1));
                };
            case "upper":
                return (args, kwargs) -> upper(s);
            case "lower":
                return (args, kwargs) -> lower(s);
            case "title":
                return (args, kwargs) -> title(s);
            case "capitalize":
                return (args, kwargs) -> s.isEmpty() ? s : upper(s.substring(0, 1)) + lower(s.substring(1));
            case "find":
                return (args, kwargs) -> {
                    String sub = new Args(name, args, kwargs, 1).string(0, "sub", "");
                    int i = s.indexOf(sub);
                    return i < 0 ? -1L : (long) s.codePointCount(0, i);
                };
            case "count":
                return (args, kwargs) -> {
                    String sub = new Args(name, args, kwargs, 1).string(0, "sub", "");
                    if (sub.isEmpty()) {
                        return (long) s.codePointCount(0, s.length()) + 1;
                    }
                    long n = 0;
                    for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + sub.length())) {
                        n++;
                    }
                    return n;
                };
            case "join":
                return (args, kwargs) -> {
                    Object items = new Args(name, args, kwargs, 1).get(0, "iterable", List.of());
                    StringBuilder out = new StringBuilder();
                    List<Object> list = Py.iterate(items);
                    for (int i = 0; i < list.size(); i++) {
                        if (!(list.get(i) instanceof String)) {
                            throw new Py.Error("sequence item " + i + ": expected str instance, "
                                    + Py.typeName(list.get(i)) + " found");
                        }
                        out.append(i > 0 ? s : "").append((String) list.get(i));
                    }
                    return out.toString();
                };
            default:
                return null;
        }
    }

    static List<Object> split(String s, String sep, long maxsplit) {
        List<Object> out = new ArrayList<>();
        if (sep == null) {
            int i = 0;
            int n = s.length();
            while (true) {
                while (i < n && Py.isSpace(s.charAt(i))) {
                    i++;
                }
                if (i >= n) {
                    break;
                }
                if (maxsplit >= 0 && out.size() >= maxsplit) {
                    out.add(s.substring(i));
                    break;
                }
                int j = i;
                while (j < n && !Py.isSpace(s.charAt(j))) {
                    j++;
                }
                out.add(s.substring(i, j));
                i = j;
            }
            return out;
        }
        if (sep.isEmpty()) {
            throw new Py.Error("empty separator");
        }
        int from = 0;
        while (maxsplit < 0 || out.size() < maxsplit) {
            int at = s.indexOf(sep, from);
            if (at < 0) {
                break;
            }
            out.add(s.substring(from, at));
            from = at + sep.length();
        }
        out.add(s.substring(from));
        return out;
    }

    static String replace(String s, String old, String replacement, long count) {
        if (old == null || replacement == null) {
            throw new Py.Error("replace() takes at least 2 arguments");
        }
        if (count < 0) {
            return s.replace(old, replacement);
        }
        StringBuilder out = new StringBuilder();
        int from = 0;
        long done = 0;
        if (old.isEmpty()) {
            List<Object> chars = Py.iterate(s);
            for (Object c : chars) {
                if (done++ < count) {
                    out.append(replacement);
                }
                out.append((String) c);
            }
            if (done < count) {
                out.append(replacement);
            }
            return out.toString();
        }
        while (done < count) {
            int at = s.indexOf(old, from);
            if (at < 0) {
                break;
            }
            out.append(s, from, at).append(replacement);
            from = at + old.length();
            done++;
        }
        return out.append(s.substring(from)).toString();
    }

    static String upper(String s) {
        return s.toUpperCase(Locale.ROOT);
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    static String title(String s) {
        StringBuilder out = new StringBuilder(s.length());
        boolean previousCased = false;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            boolean cased = Character.isUpperCase(cp) || Character.isLowerCase(cp) || Character.isTitleCase(cp);
            out.appendCodePoint(previousCased ? Character.toLowerCase(cp) : Character.toTitleCase(cp));
            previousCased = cased;
        }
        return out.toString();
    }
}
