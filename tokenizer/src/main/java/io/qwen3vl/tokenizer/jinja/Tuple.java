package io.qwen3vl.tokenizer.jinja;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;

/** A Python tuple: a read-only list that prints with parentheses. */
final class Tuple extends AbstractList<Object> {
    private final List<Object> items;

    Tuple(List<Object> items) {
        this.items = new ArrayList<>(items);
    }

    @Override
    public Object get(int index) {
        return items.get(index);
    }

    @Override
    public int size() {
        return items.size();
    }
}
