package org.galley.imagespec;

import java.util.regex.Pattern;
import org.galley.yaml.Fields;
import org.galley.yaml.Problems;
import org.galley.yaml.YNode;

/** Parses {@code newest_of: {spec: NAME}} or {@code newest_of: {tag: KEY, value: VALUE}} (docker and ec2 alike). */
final class NewestParser {
    private static final Pattern SPEC_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    private NewestParser() {}

    static ImageSpec.Newest parse(YNode node, Problems problems, String where) {
        Fields n = Fields.of(node, problems, "'" + where + ".newest_of'");
        if (n == null) return null;
        String spec = n.string("spec");
        String tag = n.string("tag");
        String value = n.string("value");
        n.finish();
        if (spec != null && !SPEC_NAME.matcher(spec).matches()) {
            problems.add(n.at("spec"), "'spec' in 'newest_of' must be a spec name (lower-case letters, digits, '-'),"
                    + " found '" + spec + "'");
        }
        if ((spec != null) == (tag != null || value != null)) {
            problems.add(n.at(), "'newest_of' needs either 'spec' (images galley built for that spec) or 'tag' and"
                    + " 'value' (e.g. tag: image-type, value: sailing-analytics-server), not both and not neither");
            return null;
        }
        if (spec == null && (tag == null || value == null)) {
            problems.add(n.at(), "'newest_of' needs both 'tag' and 'value', e.g. {tag: image-type, value: sailing-analytics-server}");
            return null;
        }
        return new ImageSpec.Newest(spec, tag, value);
    }
}
