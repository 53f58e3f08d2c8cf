package io.qwen3vl.tokenizer.jinja;

import java.util.List;

/** The {@code loop} variable inside a for loop. */
final class Loop {
    private final List<Object> items;
    private int index0;

    Loop(List<Object> items) {
        this.items = items;
    }

    void moveTo(int index0) {
        this.index0 = index0;
    }

    Object attribute(String name) {
        int length = items.size();
        switch (name) {
            case "index0":
                return (long) index0;
            case "index":
                return (long) index0 + 1;
            case "revindex0":
                return (long) (length - index0 - 1);
            case "revindex":
                return (long) (length - index0);
            case "first":
                return index0 == 0;
            case "last":
                return index0 == length - 1;
            case "length":
                return (long) length;
            case "depth":
                return 1L;
            case "depth0":
                return 0L;
            case "previtem":
                return index0 > 0 ? items.get(index0 - 1) : new Undefined("there is no previous item");
            case "nextitem":
                return index0 < length - 1 ? items.get(index0 + 1) : new Undefined("there is no next item");
            case "cycle":
                return (JinjaCallable) (args, kwargs) -> {
                    if (args.isEmpty()) {
                        throw new Py.Error("no items for cycling given");
                    }
                    return args.get(index0 % args.size());
                };
            default:
                return Undefined.attribute(this, name);
        }
    }

    @Override
    public String toString() {
        return "<LoopContext " + (index0 + 1) + "/" + items.size() + ">";
    }
}
