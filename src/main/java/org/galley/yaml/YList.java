package org.galley.yaml;

import java.util.List;

public record YList(List<YNode> items, Location at) implements YNode {
    @Override
    public String kind() {
        return "a list";
    }
}
