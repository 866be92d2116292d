package dev.skyfold.testsupport.loopback.lambda;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

import dev.skyfold.testsupport.loopback.lambda.LambdaFunction.Invocation;
import dev.skyfold.testsupport.loopback.lambda.LambdaFunction.Launch;

/**
 * A cold-start benchmark of Lambda functions, for harnesses that print figures: each
 * variant is started as Lambda starts Java ({@link LambdaFunction}) once per round,
 * rounds interleaved, and three phases are timed: <em>init</em>, from starting the JVM to
 * the runtime client's first request for an event (Lambda's init phase, where a SnapStart
 * snapshot would be taken); <em>first</em>, the first invocation; <em>warm</em>, the
 * median of the invocations after it. Prints each run, then per variant the medians,
 * first/warm, and the cold start (init + first) against the floor variant's. Never fails
 * on a timing.
 */
public final class ColdStarts {

	private final String title;

	private final Map<String, Launch> variants;

	private final Supplier<String> event;

	private final Consumer<Invocation> check;

	private final int warmInvocations;

	private final Duration timeout;

	/**
	 * Describes a benchmark.
	 * @param title what is measured, printed before each line
	 * @param variants the launches by name, the first being the floor the others are
	 * compared with; read when {@link #run(int)} starts
	 * @param event the event of each invocation
	 * @param check checks each answer (and the work done), throwing when it is wrong
	 * @param warmInvocations how many invocations follow the first
	 * @param timeout how long one phase may take
	 */
	public ColdStarts(String title, Map<String, Launch> variants, Supplier<String> event, Consumer<Invocation> check,
			int warmInvocations, Duration timeout) {
		this.title = title;
		this.variants = variants;
		this.event = event;
		this.check = check;
		this.warmInvocations = warmInvocations;
		this.timeout = timeout;
	}

	/**
	 * Runs one variant once.
	 * @param launch how to start it
	 * @return its phases
	 */
	public Run measure(Launch launch) {
		try (LambdaFunction function = LambdaFunction.start(launch)) {
			Duration init = function.awaitInitialized(this.timeout);
			Duration first = invoke(function);
			List<Duration> warm = new ArrayList<>();
			for (int i = 0; i < this.warmInvocations; i++) {
				warm.add(invoke(function));
			}
			return new Run(init, first, median(warm));
		}
	}

	/**
	 * Runs every variant once a round, prints each run and the summary.
	 * @param rounds how many rounds
	 * @return the runs of each variant
	 */
	public Map<String, List<Run>> run(int rounds) {
		Map<String, List<Run>> runs = new LinkedHashMap<>();
		this.variants.keySet().forEach((name) -> runs.put(name, new ArrayList<>()));
		for (int round = 1; round <= rounds; round++) {
			for (Map.Entry<String, Launch> variant : this.variants.entrySet()) {
				Run run = measure(variant.getValue());
				runs.get(variant.getKey()).add(run);
				System.out.printf(Locale.ROOT, "%s round %d  %-48s init %5.0f ms  first %5.0f ms  warm %5.0f ms%n",
						this.title, round, variant.getKey(), millis(run.init()), millis(run.first()),
						millis(run.warm()));
			}
		}
		System.out.printf(Locale.ROOT, "%-14s %-48s %8s %8s %8s %10s %11s %11s%n", "COLD_START", "variant (medians)",
				"init ms", "first ms", "warm ms", "first/warm", "init+first", "x floor");
		double floor = Double.NaN;
		for (Map.Entry<String, List<Run>> variant : runs.entrySet()) {
			List<Run> list = variant.getValue();
			double init = median(list.stream().map(Run::init).toList()).toNanos() / 1e6;
			double first = median(list.stream().map(Run::first).toList()).toNanos() / 1e6;
			double warm = median(list.stream().map(Run::warm).toList()).toNanos() / 1e6;
			double total = median(list.stream().map(Run::coldStart).toList()).toNanos() / 1e6;
			if (Double.isNaN(floor)) {
				floor = total;
			}
			System.out.printf(Locale.ROOT, "%-14s %-48s %8.0f %8.0f %8.0f %9.2fx %8.0f ms %10.2fx%n",
					"COLD_START " + this.title, variant.getKey(), init, first, warm, first / warm, total,
					total / floor);
		}
		return runs;
	}

	private Duration invoke(LambdaFunction function) {
		String body = this.event.get();
		long start = System.nanoTime();
		Invocation answer = function.invoke(body, this.timeout);
		Duration took = Duration.ofNanos(System.nanoTime() - start);
		if (answer.failed()) {
			throw new IllegalStateException("The function failed: " + answer.body() + "\n" + function.log());
		}
		this.check.accept(answer);
		return took;
	}

	private static double millis(Duration duration) {
		return duration.toNanos() / 1e6;
	}

	private static Duration median(List<Duration> values) {
		if (values.isEmpty()) {
			return Duration.ZERO;
		}
		List<Duration> sorted = values.stream().sorted().toList();
		return sorted.get(sorted.size() / 2);
	}

	/**
	 * One cold start.
	 *
	 * @param init from starting the JVM to its first request for an event
	 * @param first the first invocation
	 * @param warm the median of the invocations after it
	 */
	public record Run(Duration init, Duration first, Duration warm) {

		/**
		 * What a caller of a cold function waits: init and the first invocation.
		 * @return their sum
		 */
		public Duration coldStart() {
			return this.init.plus(this.first);
		}

	}

}
