package dev.skyfold.aws.lambda.priming;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import dev.skyfold.aws.lambda.SkyfoldFunctionInvoker;
import dev.skyfold.kernel.FunctionMetrics;
import dev.skyfold.kernel.FunctionPriming;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.cloudwatchlogs.emf.model.DimensionSet;
import software.amazon.cloudwatchlogs.emf.model.MetricsContext;
import software.amazon.cloudwatchlogs.emf.model.Unit;

import org.springframework.cloud.function.adapter.aws.AWSLambdaUtils;
import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.cloud.function.context.FunctionRegistration;
import org.springframework.cloud.function.context.FunctionRegistry;
import org.springframework.cloud.function.context.catalog.SimpleFunctionRegistry.FunctionInvocationWrapper;
import org.springframework.cloud.function.json.JsonMapper;
import org.springframework.core.ResolvableType;
import org.springframework.messaging.Message;

/**
 * Runs the {@link FunctionPriming} of the Lambda function this JVM serves (each one named
 * in {@code spring.cloud.function.definition}, every one when it names none): as a CRaC
 * {@link Resource}, just before Lambda SnapStart takes its snapshot, and, when asked, at
 * initialization. Each priming runs its stand-in function through the same Spring Cloud
 * Function path the handler takes: the event's JSON made a message, converted to the
 * function's input type, and the answer written as JSON by the handler's own mapper.
 * <p>
 * A failed priming (an exception, or a class or native library that would not link) is
 * logged and does not stop the snapshot: the function then works as it would without
 * priming, only with a slower first invocation.
 */
public class LambdaPrimer implements Resource {

	/** The catalog name prefix of the stand-ins a priming invokes. */
	static final String STAND_IN_PREFIX = "skyfoldPriming-";

	private static final String JSON = "application/json";

	private static final Logger log = LoggerFactory.getLogger(LambdaPrimer.class);

	private final List<FunctionPriming> primings;

	private final FunctionCatalog catalog;

	private final JsonMapper jsonMapper;

	private final Set<String> definition;

	private final Map<String, StandInSlot> slots = new ConcurrentHashMap<>();

	/**
	 * Creates the primer.
	 * @param primings every priming the application has
	 * @param catalog the function catalog the handler looks its function up in
	 * @param jsonMapper the mapper the handler reads events and writes answers with
	 * @param definition the functions this JVM serves ({@code |} or {@code ,} between
	 * them), or {@code null} or blank for all
	 */
	public LambdaPrimer(List<FunctionPriming> primings, FunctionCatalog catalog, JsonMapper jsonMapper,
			@Nullable String definition) {
		this.primings = List.copyOf(primings);
		this.catalog = catalog;
		this.jsonMapper = jsonMapper;
		this.definition = (definition == null || definition.isBlank()) ? Set.of()
				: Set.of(definition.trim().split("\\s*[|,;]\\s*"));
	}

	/**
	 * Registers this primer with a checkpoint context, such as the JVM's
	 * ({@link Core#getGlobalContext()}), which calls it before a checkpoint: outside a
	 * CRaC runtime such as Lambda SnapStart's, nothing does. The context may hold the
	 * primer weakly; its owner keeps it.
	 * @param checkpoints the context
	 */
	public void registerWith(Context<Resource> checkpoints) {
		checkpoints.register(this);
	}

	/**
	 * Runs the primings of the functions this JVM serves.
	 * @return which ran, which failed and how long they took
	 */
	public Report prime() {
		long start = System.nanoTime();
		List<String> primed = new ArrayList<>();
		Map<String, Throwable> failed = new LinkedHashMap<>();
		try {
			primeMetrics();
		}
		catch (Exception | LinkageError ex) {
			failed.put("metrics", ex);
			log.warn("Priming the metrics failed; the first invocation will be slower", ex);
		}
		for (FunctionPriming priming : this.primings) {
			if (!this.definition.isEmpty() && !this.definition.contains(priming.function())) {
				continue;
			}
			try {
				priming.prime((function, event) -> invoke(priming.function(), function, event));
				primed.add(priming.function());
			}
			catch (Exception | LinkageError ex) {
				failed.put(priming.function(), ex);
				log.atWarn()
					.addKeyValue("function", priming.function())
					.setCause(ex)
					.log("Priming {} failed; its first invocation will be slower", priming.function());
			}
		}
		Report report = new Report(primed, failed, Duration.ofNanos(System.nanoTime() - start));
		log.info("Primed {} in {} ms{}", primed, report.took().toMillis(),
				failed.isEmpty() ? "" : "; failed: " + failed.keySet());
		return report;
	}

	@Override
	public void beforeCheckpoint(Context<? extends Resource> context) {
		prime();
	}

	@Override
	public void afterRestore(Context<? extends Resource> context) {
		// Nothing to reopen: a priming leaves nothing open.
	}

	/**
	 * Primes the handler's own work after each invocation, its metrics written as
	 * Embedded Metric Format lines: a document of the same shape serialized and dropped,
	 * so that nothing is reported. Powertools' metrics logger itself is left to the first
	 * invocation: it reads the execution environment, which a snapshot must not fix.
	 */
	private static void primeMetrics() throws Exception {
		MetricsContext document = new MetricsContext();
		document.setNamespace(SkyfoldFunctionInvoker.NAMESPACE);
		document.setDefaultDimensions(DimensionSet.of(FunctionMetrics.FUNCTION_TAG, "priming"));
		document.putMetric(FunctionMetrics.INVOCATIONS, 1, Unit.COUNT);
		document.putMetric(FunctionMetrics.DURATION, 1.5, Unit.MILLISECONDS);
		document.serialize();
	}

	/**
	 * Invokes a stand-in as the handler invokes the real function: registered in the
	 * catalog beside it, with the real one's input and output types, so that the same
	 * conversions run.
	 */
	private String invoke(String name, Object standIn, byte[] event) {
		StandInSlot slot = this.slots.computeIfAbsent(name, this::register);
		slot.target = standIn;
		try {
			FunctionInvocationWrapper function = this.catalog.lookup(STAND_IN_PREFIX + name, JSON);
			if (function == null) {
				throw new IllegalStateException("The catalog lost the stand-in of " + name);
			}
			Message<?> request = AWSLambdaUtils.generateMessage(new ByteArrayInputStream(event),
					function.getInputType(), function.isSupplier(), this.jsonMapper, new PrimingContext(name));
			Object response = function.apply(request);
			byte[] answer = AWSLambdaUtils.generateOutputFromObject(request, response, this.jsonMapper,
					function.getOutputType());
			return new String(answer, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		finally {
			slot.target = null;
		}
	}

	private StandInSlot register(String name) {
		FunctionInvocationWrapper real = this.catalog.lookup(name, JSON);
		if (real == null) {
			throw new IllegalStateException("No function " + name + " to prime");
		}
		if (!(this.catalog instanceof FunctionRegistry registry)) {
			throw new IllegalStateException("The function catalog takes no registrations: " + this.catalog);
		}
		Type type = ResolvableType
			.forClassWithGenerics(Function.class, ResolvableType.forType(real.getInputType()),
					ResolvableType.forType(real.getOutputType()))
			.getType();
		StandInSlot slot = new StandInSlot(name);
		registry.register(new FunctionRegistration<>(slot, STAND_IN_PREFIX + name).type(type));
		return slot;
	}

	/**
	 * What a priming run did.
	 *
	 * @param primed the functions primed
	 * @param failed the functions whose priming failed, with why
	 * @param took how long the run took
	 */
	public record Report(List<String> primed, Map<String, Throwable> failed, Duration took) {

		public Report {
			primed = List.copyOf(primed);
			failed = Map.copyOf(failed);
		}

	}

	/**
	 * The catalog's entry for a function's stand-in: it holds the stand-in only while a
	 * priming runs, so the catalog keeps neither it nor its sample data afterwards.
	 */
	static final class StandInSlot implements Function<Object, Object> {

		private final String name;

		private volatile @Nullable Object target;

		StandInSlot(String name) {
			this.name = name;
		}

		@Override
		@SuppressWarnings("unchecked")
		public Object apply(Object input) {
			Object function = this.target;
			if (function == null) {
				throw new IllegalStateException("The stand-in of " + this.name + " runs only while it is primed");
			}
			return ((Function<Object, Object>) function).apply(input);
		}

	}

}
