package org.galley.steps;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.galley.recipes.Step;

/** The pure text edit behind {@code line-in-file}; kept apart from SSH so it is easy to test. */
public final class LineInFile {
    private LineInFile() {}

    /**
     * Returns the new content, or the same string when nothing needs to change.
     * @throws StepFailedException when an insert anchor is given but matches no line
     */
    public static String edit(String content, Step.LineInFileStep step) {
        boolean endsWithNewline = content.isEmpty() || content.endsWith("\n");
        List<String> lines = new ArrayList<>(content.isEmpty() ? List.of()
                : Arrays.asList(content.split("\n", -1)));
        if (!content.isEmpty() && endsWithNewline) lines.remove(lines.size() - 1);

        if (step.regexp() != null) {
            Pattern re = Pattern.compile(step.regexp());
            int last = -1;
            for (int i = 0; i < lines.size(); i++) if (re.matcher(lines.get(i)).find()) last = i;
            if (last >= 0) {
                if (lines.get(last).equals(step.line())) return content;
                lines.set(last, step.line());
                return join(lines, endsWithNewline);
            }
        }
        if (lines.contains(step.line())) return content;
        int at = lines.size();
        if (step.insertBefore() != null) {
            at = firstMatch(lines, step.insertBefore());
            if (at < 0) throw anchorMissing(step, step.insertBefore());
        } else if (step.insertAfter() != null) {
            int last = lastMatch(lines, step.insertAfter());
            if (last < 0) throw anchorMissing(step, step.insertAfter());
            at = last + 1;
        }
        lines.add(at, step.line());
        return join(lines, true);
    }

    private static int firstMatch(List<String> lines, String regex) {
        Pattern re = Pattern.compile(regex);
        for (int i = 0; i < lines.size(); i++) if (re.matcher(lines.get(i)).find()) return i;
        return -1;
    }

    private static int lastMatch(List<String> lines, String regex) {
        Pattern re = Pattern.compile(regex);
        for (int i = lines.size() - 1; i >= 0; i--) if (re.matcher(lines.get(i)).find()) return i;
        return -1;
    }

    private static StepFailedException anchorMissing(Step.LineInFileStep step, String anchor) {
        return new StepFailedException("no line of " + step.path() + " matches the anchor /" + anchor
                + "/; the file is not what the recipe expects");
    }

    private static String join(List<String> lines, boolean trailingNewline) {
        String s = String.join("\n", lines);
        return trailingNewline && !lines.isEmpty() ? s + "\n" : s;
    }
}
