package io.orrery.emirax.testkit;

import groovy.lang.Closure;
import io.orrery.api.engine.CallResult;
import io.orrery.api.engine.DeployReport;
import io.orrery.api.engine.DryRunReport;
import io.orrery.api.engine.InstanceId;
import io.orrery.api.engine.InstanceRequest;
import io.orrery.api.engine.OutboundCall;
import io.orrery.api.engine.WorkflowEngine;
import io.orrery.api.engine.WorkflowModule;
import io.orrery.api.function.CallInbox;
import io.orrery.api.function.FunctionFailure;
import io.orrery.api.function.OrreryFunction;
import io.orrery.emirax.CompiledModule;
import io.orrery.emirax.EmiraxCompiler;
import io.orrery.emirax.EmiraxSource;
import io.orrery.engine.internal.EngineCore;
import io.orrery.engine.internal.EngineSettings;
import io.orrery.engine.internal.MemoryCallPort;
import io.orrery.engine.internal.MemoryInstanceTable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Unit-test Emirax workflows in plain JUnit 5, in milliseconds, without a server: compiles the sources with the
 * real compiler (guards included), runs the real engine core in memory on the test's thread, answers function
 * calls with stubs, and runs to quiescence after every input. See {@code dsl-emirax/README.md}.
 *
 * <pre>{@code
 * var kit = EmiraxTestKit.fromClasspath("emirax/encode-video.groovy")
 *         .stub("media.split", args -> Map.of("parts", List.of("a", "b")))
 *         .stub("media.encode", args -> Map.of("uri", args.get("uri") + ".enc"))
 *         .stub("media.assemble", args -> Map.of("uri", "final.mp4"));
 * WorkflowRun run = kit.start("encode-video", "v1", Map.of("source", "s3://in.mp4", "recipe", "h264"));
 * assertThat(run.output()).containsEntry("uri", "final.mp4");
 * }</pre>
 */
public final class EmiraxTestKit implements AutoCloseable {

    private static final Map<List<EmiraxSource>, CompiledModule> COMPILED = new ConcurrentHashMap<>();
    private static final int MAX_STEPS = 1_000_000;

    private final TestClock clock = new TestClock();
    private final MemoryCallPort port = new MemoryCallPort(clock);
    private final Map<String, Function<Map<String, Object>, Map<String, Object>>> stubs = new HashMap<>();
    private final List<FunctionCall> calls = Collections.synchronizedList(new ArrayList<>());
    private final List<WorkflowModule> modules = new ArrayList<>();
    private String tenant = "test";
    private EngineSettings settings = EngineSettings.defaults().withLanes(0).withFiringLogSize(10_000);
    private EngineCore engine;

    private EmiraxTestKit(WorkflowModule module) {
        modules.add(module);
    }

    // ---- loading ---------------------------------------------------------------------------------------

    /** From source text; {@code path} names the file in compile errors. */
    public static EmiraxTestKit fromSource(String path, String text) {
        return new EmiraxTestKit(compile(List.of(new EmiraxSource(path, text))));
    }

    /** From files, e.g. {@code Path.of("src/main/emirax/encode-video.groovy")}. */
    public static EmiraxTestKit fromFiles(Path... files) {
        return new EmiraxTestKit(compile(Stream.of(files).map(EmiraxTestKit::read).toList()));
    }

    /** Every {@code .groovy} file under a directory, e.g. {@code src/main/emirax}. */
    public static EmiraxTestKit fromDirectory(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return fromFiles(files.filter(p -> p.toString().endsWith(".groovy")).sorted().toArray(Path[]::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** From class-path resources, e.g. {@code emirax/encode-video.groovy} under src/test/resources. */
    public static EmiraxTestKit fromClasspath(String... resources) {
        return new EmiraxTestKit(compile(Stream.of(resources).map(EmiraxTestKit::resource).toList()));
    }

    /** Compiles with the real compiler, once per distinct source set in this JVM. */
    public static WorkflowModule compile(List<EmiraxSource> sources) {
        return COMPILED.computeIfAbsent(List.copyOf(sources), s -> new EmiraxCompiler().compile(s))
                .load(EmiraxTestKit.class.getClassLoader());
    }

    // ---- configuration (before the first input) ---------------------------------------------------------

    public EmiraxTestKit tenant(String name) {
        requireNotStarted();
        this.tenant = name;
        return this;
    }

    /** Answers calls of {@code function} with a lambda; throwing fails the attempt (and the call once retries are spent). */
    public EmiraxTestKit stub(String function, Function<Map<String, Object>, Map<String, Object>> answer) {
        stubs.put(function, answer);
        return this;
    }

    /** Answers calls of {@code function} with a Groovy closure: {@code stub('media.split') { args -> [parts: ['a']] }}. */
    @SuppressWarnings("unchecked")
    public EmiraxTestKit stub(String function, Closure<?> answer) {
        return stub(function, args -> (Map<String, Object>) answer.call(args));
    }

    /** Makes every call of {@code function} fail for good with this message. */
    public EmiraxTestKit failing(String function, String message) {
        return stub(function, args -> {
            throw new FunctionFailure(message);
        });
    }

    /** How long a match or reaction may run (default 1 s). */
    public EmiraxTestKit timeLimit(Duration limit) {
        requireNotStarted();
        settings = settings.withSectionTimeLimit(limit);
        return this;
    }

    /** The loop guard's limit of firings per rule between requests (default 1000). */
    public EmiraxTestKit loopLimit(int firings) {
        requireNotStarted();
        settings = settings.withLoopLimit(firings);
        return this;
    }

    /** Retries after a failing attempt unless the call names its own (default 2). */
    public EmiraxTestKit retries(int n) {
        requireNotStarted();
        settings = settings.withCallRetries(n);
        return this;
    }

    // ---- driving -----------------------------------------------------------------------------------------

    /** Sends the first input for a key and runs to quiescence. Same as {@link #send}: instances are always on. */
    public WorkflowRun start(String workflow, String key, Map<String, Object> input) {
        return send(workflow, key, input);
    }

    /** Sends input for a key (creating the instance or adding facts to it) and runs to quiescence. */
    public WorkflowRun send(String workflow, String key, Map<String, Object> input) {
        engine().submit(InstanceRequest.of(tenant, workflow, key, input));
        runToQuiescence();
        return instance(workflow, key);
    }

    /** An instance by key, to inspect. */
    public WorkflowRun instance(String workflow, String key) {
        return new WorkflowRun(this, new InstanceId(tenant, workflow, key));
    }

    /** Answers every waiting function call and due timer, and what they lead to, until nothing is left to do. */
    public EmiraxTestKit runToQuiescence() {
        EngineCore core = core();
        for (int step = 0; step < MAX_STEPS; step++) {
            List<OutboundCall> timers = port.dueTimers();
            timers.forEach(t -> core.deliver(CallResult.success(t.instance(), t.callId(),
                    Map.of("firedAt", clock.millis()), 1)));
            List<CallInbox.ClaimedCall> claimed;
            try {
                claimed = port.claim(Integer.MAX_VALUE, Duration.ZERO);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (claimed.isEmpty() && timers.isEmpty()) {
                return this;
            }
            claimed.forEach(this::answer);
        }
        throw new AssertionError("no quiescence after " + MAX_STEPS + " calls: is a rule calling forever?");
    }

    /** Moves the virtual clock on, fires the timers due by then, and runs to quiescence. */
    public EmiraxTestKit advanceTime(Duration d) {
        clock.advance(d);
        return runToQuiescence();
    }

    /** Deploys another version (always on: existing instances are re-evaluated) and runs to quiescence. */
    public List<DeployReport> deploy(String path, String text) {
        WorkflowModule module = compile(List.of(new EmiraxSource(path, text)));
        modules.add(module);
        List<DeployReport> reports = engine().deploy(tenant, module);
        runToQuiescence();
        return reports;
    }

    /** What deploying this source would fire on the existing instances, without deploying it. */
    public List<DryRunReport> dryRun(String path, String text) {
        return engine().dryRun(tenant, compile(List.of(new EmiraxSource(path, text))));
    }

    /** Every function call made so far, in order. */
    public List<FunctionCall> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    /** The calls made to one function. */
    public List<FunctionCall> calls(String function) {
        return calls().stream().filter(c -> c.function().equals(function)).toList();
    }

    /** The engine itself, for what the kit does not wrap. */
    public WorkflowEngine engine() {
        return core();
    }

    private EngineCore core() {
        if (engine == null) {
            engine = new EngineCore(settings, new MemoryInstanceTable(), port, null, clock);
            modules.forEach(m -> engine.deploy(tenant, m));
        }
        return engine;
    }

    private void answer(CallInbox.ClaimedCall claimed) {
        OutboundCall c = claimed.call();
        calls.add(new FunctionCall(c.instance().workflow(), c.instance().key(), c.rule(), c.function(), c.args(),
                c.key(), c.priority(), claimed.attempt()));
        Optional<Function<Map<String, Object>, Map<String, Object>>> stub = Optional.ofNullable(stubs.get(c.function()))
                .or(() -> emiraxFunction(c.function()));
        CallResult result;
        if (stub.isEmpty()) {
            result = CallResult.failure(c.instance(), c.callId(), "no stub or function for " + c.function()
                    + " (add .stub(\"" + c.function() + "\", args -> ...) to the test kit)", claimed.attempt());
        } else {
            try {
                Map<String, Object> out = stub.get().apply(c.args());
                result = CallResult.success(c.instance(), c.callId(), out == null ? Map.of() : out, claimed.attempt());
            } catch (FunctionFailure e) {
                result = CallResult.failure(c.instance(), c.callId(), e.getMessage(), claimed.attempt());
            } catch (RuntimeException e) {
                if (claimed.attempt() < c.maxAttempts()) {
                    port.retryLater(claimed, Duration.ZERO, String.valueOf(e.getMessage()));
                    return;
                }
                String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                result = CallResult.failure(c.instance(), c.callId(), m + " (after " + claimed.attempt()
                        + " attempts)", claimed.attempt());
            }
        }
        engine.deliver(result);
    }

    private Optional<Function<Map<String, Object>, Map<String, Object>>> emiraxFunction(String name) {
        for (int i = modules.size() - 1; i >= 0; i--) {
            for (OrreryFunction f : modules.get(i).functions()) {
                if (f.name().equals(name)) {
                    return Optional.of(args -> {
                        try {
                            return f.apply(args);
                        } catch (RuntimeException e) {
                            throw e;
                        } catch (Exception e) {
                            throw new IllegalStateException(e.getMessage(), e);
                        }
                    });
                }
            }
        }
        return Optional.empty();
    }

    private void requireNotStarted() {
        if (engine != null) {
            throw new IllegalStateException("configure the test kit before the first input");
        }
    }

    private static EmiraxSource read(Path file) {
        try {
            return new EmiraxSource(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static EmiraxSource resource(String name) {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("no class-path resource " + name);
            }
            return new EmiraxSource(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (engine != null) {
            engine.close();
        }
    }
}
