package io.orrery.itests;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A scrape of {@code GET /api/v1/metrics} as Prometheus reads it. Prometheus' own parser and linter check it
 * ({@code promtool check metrics}, from Debian's {@code prometheus} package, which {@code .ci/run} installs): a
 * text that does not parse fails the test, and each naming problem (a counter without {@code _total}, a non-base or
 * abbreviated unit, camelCase, a missing help text) is listed. Then its samples are read for the assertions.
 */
final class PrometheusText {

    /** One sample line: the series' name, its labels and its value. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    private final List<String> problems;
    private final List<Sample> samples;

    private PrometheusText(List<String> problems, List<Sample> samples) {
        this.problems = problems;
        this.samples = samples;
    }

    /** Checks {@code exposition} with promtool and reads its samples; throws if Prometheus cannot parse it. */
    static PrometheusText check(String exposition) {
        String[] result = promtool(exposition);
        int exit = Integer.parseInt(result[0]);
        if (exit != 0 && exit != 3) { // 3: parsed, with lint problems
            throw new AssertionError("Prometheus cannot parse the exposition (promtool exit " + exit + "): "
                    + result[1]);
        }
        List<String> problems = exit == 0 ? List.of() : result[1].strip().lines().toList();
        List<Sample> samples = new ArrayList<>();
        for (String line : exposition.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                samples.add(sample(line));
            }
        }
        return new PrometheusText(problems, samples);
    }

    /** promtool's lint findings, one a line ({@code <metric> <problem>}); empty when it found none. */
    List<String> problems() {
        return problems;
    }

    List<Sample> samples() {
        return samples;
    }

    /** The samples of series {@code name} whose labels include every one of {@code labels}. */
    List<Sample> samples(String name, Map<String, String> labels) {
        return samples.stream().filter(s -> s.name().equals(name)
                && s.labels().entrySet().containsAll(labels.entrySet())).toList();
    }

    private static String[] promtool(String exposition) {
        try {
            Process p = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
            try (OutputStream in = p.getOutputStream()) {
                in.write(exposition.getBytes(StandardCharsets.UTF_8));
            }
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("promtool check metrics did not finish in 60 s");
            }
            return new String[] {Integer.toString(p.exitValue()), out.join()};
        } catch (IOException e) {
            throw new AssertionError("promtool not found: Debian's prometheus package provides it", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String read(InputStream in) {
        try (in) {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            in.transferTo(buffer);
            return buffer.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads {@code name{label="value",...} value [timestamp]}, label values with their escapes. */
    static Sample sample(String line) {
        int brace = line.indexOf('{');
        int space = line.indexOf(' ');
        Map<String, String> labels = new LinkedHashMap<>();
        String name;
        int i;
        if (brace >= 0 && (space < 0 || brace < space)) {
            name = line.substring(0, brace);
            i = brace + 1;
            while (line.charAt(i) != '}') {
                int eq = line.indexOf('=', i);
                String label = line.substring(i, eq).strip();
                StringBuilder value = new StringBuilder();
                int j = eq + 2; // past ="
                for (; line.charAt(j) != '"'; j++) {
                    char c = line.charAt(j);
                    if (c == '\\') {
                        char next = line.charAt(++j);
                        value.append(next == 'n' ? '\n' : next);
                    } else {
                        value.append(c);
                    }
                }
                labels.put(label, value.toString());
                i = j + 1;
                if (line.charAt(i) == ',') {
                    i++;
                }
            }
            i++;
        } else {
            name = line.substring(0, space);
            i = space;
        }
        String[] rest = line.substring(i).strip().split(" ");
        return new Sample(name, labels, value(rest[0]));
    }

    private static double value(String text) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }
}
