package org.galley.spec.yaml;

import java.util.List;
import org.galley.spec.Location;

public record YList(List<YNode> items, Location at) implements YNode {
    @Override
    public String kind() {
        return "a list";
    }
}
