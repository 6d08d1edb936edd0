package org.galley.yaml;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads YAML with Jackson's streaming parser into {@link YNode}s that keep their
 * line and column. Jackson's tree model drops locations, and every validation
 * message has to point at the offending key.
 */
public final class YamlReader {
    // Without EMPTY_STRING_AS_NULL, "key:" with no value reads as "" and the "is empty" checks never fire.
    private static final YAMLFactory FACTORY = YAMLFactory.builder()
            .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL).build();

    private YamlReader() {}

    /** Reads one YAML document; a missing file or a syntax error is a {@link SpecException}. */
    public static YNode read(Path file, String displayName) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw SpecException.of(Location.of(displayName), "file not found; check the path");
        } catch (IOException e) {
            throw SpecException.of(Location.of(displayName), "cannot read file: " + e.getMessage());
        }
        return parse(text, displayName);
    }

    public static YNode parse(String text, String displayName) {
        Problems problems = new Problems();
        try (YAMLParser p = (YAMLParser) FACTORY.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw SpecException.of(new Location(displayName, 1, 1), "the file is empty; expected a mapping");
            }
            YNode node = readNode(p, displayName, problems);
            problems.throwIfAny();
            return node;
        } catch (JsonProcessingException e) {
            if (e.getCause() instanceof MarkedYAMLException m && m.getProblemMark() != null) {
                throw SpecException.of(at(displayName, m.getProblemMark()), "YAML syntax error: " + describe(m));
            }
            throw SpecException.of(at(displayName, e.getLocation()), "YAML syntax error: " + cleanMessage(e));
        } catch (IOException e) {
            throw SpecException.of(Location.of(displayName), "cannot read YAML: " + e.getMessage());
        }
    }

    private static YNode readNode(JsonParser p, String file, Problems problems) throws IOException {
        Location at = at(file, p.currentTokenLocation());
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                LinkedHashMap<String, YMap.Entry> entries = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    Location keyAt = at(file, p.currentTokenLocation());
                    p.nextToken();
                    YNode value = readNode(p, file, problems);
                    if (entries.containsKey(key)) {
                        problems.add(keyAt, "duplicate key '" + key + "' (first at line "
                                + entries.get(key).keyAt().line() + "); remove one of them");
                    } else {
                        entries.put(key, new YMap.Entry(key, keyAt, value));
                    }
                }
                return new YMap(entries, at);
            }
            case START_ARRAY -> {
                List<YNode> items = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    items.add(readNode(p, file, problems));
                }
                return new YList(List.copyOf(items), at);
            }
            case VALUE_NULL -> {
                return new YScalar(null, at);
            }
            default -> {
                if (p instanceof YAMLParser y && y.isCurrentAlias()) {
                    // Jackson does not resolve aliases: the value would silently be the anchor's name.
                    problems.add(at, "YAML aliases (*" + p.getText() + ") are not supported; repeat the value");
                }
                return new YScalar(p.getText(), at);
            }
        }
    }

    private static Location at(String file, JsonLocation loc) {
        if (loc == null) return Location.of(file);
        return new Location(file, Math.max(loc.getLineNr(), 1), Math.max(loc.getColumnNr(), 1));
    }

    private static Location at(String file, Mark mark) {
        return new Location(file, mark.getLine() + 1, mark.getColumn() + 1);
    }

    /**
     * SnakeYAML's problem ("found unexpected end of stream") at its own mark; Jackson's first
     * message line and location are the context ("while scanning a quoted scalar"), which can be
     * lines away from the mistake.
     */
    private static String describe(MarkedYAMLException m) {
        String problem = firstLine(m.getProblem() != null ? m.getProblem() : "unreadable YAML");
        Mark c = m.getContextMark();
        if (m.getContext() == null || c == null) return problem;
        return problem + " (" + firstLine(m.getContext()) + " at line " + (c.getLine() + 1) + ", column "
                + (c.getColumn() + 1) + ")";
    }

    private static String firstLine(String m) {
        int nl = m.indexOf('\n');
        return (nl < 0 ? m : m.substring(0, nl)).strip();
    }

    private static String cleanMessage(JsonProcessingException e) {
        String m = e.getOriginalMessage();
        if (m == null) return "unreadable YAML";
        int nl = m.indexOf('\n');
        String first = nl < 0 ? m : m.substring(0, nl);
        return first.strip();
    }
}
