package dev.skyfold.aws.lambda.priming;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import dev.skyfold.aws.lambda.autoconfigure.LambdaPrimingAutoConfiguration;
import dev.skyfold.kernel.FunctionPriming;
import io.micrometer.core.instrument.Metrics;
import org.crac.Context;
import org.crac.Resource;
import org.junit.jupiter.api.Test;

import org.springframework.boot.LazyInitializationBeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.cloud.function.context.catalog.SimpleFunctionRegistry.FunctionInvocationWrapper;
import org.springframework.cloud.function.context.config.ContextFunctionCatalogAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The primer runs each function's stand-in through the handler's conversions, before a
 * checkpoint and, when asked, at initialization, for the functions the definition names.
 */
class LambdaPrimerTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ContextFunctionCatalogAutoConfiguration.class,
				LambdaPrimingAutoConfiguration.class))
		.withUserConfiguration(Functions.class);

	@Test
	void primesTheDefinedFunctionBeforeACheckpoint() {
		this.runner.withPropertyValues("spring.cloud.function.definition=greet").run((context) -> {
			Functions functions = context.getBean(Functions.class);
			Checkpoints checkpoints = new Checkpoints();
			context.getBean(LambdaPrimer.class).registerWith(checkpoints);
			assertThat(functions.answers).isEmpty();

			checkpoints.checkpoint();

			assertThat(functions.answers).containsExactly("{\"text\":\"Hello, priming\"}");
			assertThat(functions.realCalls).isZero();
			assertThat(functions.countPrimings).isZero();
		});
	}

	@Test
	void primesEveryFunctionWithoutADefinition() {
		this.runner.run((context) -> {
			LambdaPrimer.Report report = context.getBean(LambdaPrimer.class).prime();

			assertThat(report.primed()).containsExactly("greet", "count");
			assertThat(report.failed()).isEmpty();
		});
	}

	@Test
	void reportsAFailedPrimingAndGoesOn() {
		this.runner.withPropertyValues("failing=true").run((context) -> {
			LambdaPrimer.Report report = context.getBean(LambdaPrimer.class).prime();

			assertThat(report.primed()).containsExactly("greet", "count");
			assertThat(report.failed()).containsOnlyKeys("broken");
			assertThat(report.failed().get("broken")).hasMessageContaining("No function broken to prime");
		});
	}

	@Test
	void reportsAPrimingWhoseNativeLibraryWouldNotLinkAndGoesOn() throws Exception {
		this.runner.withPropertyValues("unlinked=true").run((context) -> {
			LambdaPrimer primer = context.getBean(LambdaPrimer.class);
			primer.beforeCheckpoint(null);
			LambdaPrimer.Report report = primer.prime();

			assertThat(report.primed()).containsExactly("greet", "count");
			assertThat(report.failed()).containsOnlyKeys("unlinked");
			assertThat(report.failed().get("unlinked")).isInstanceOf(UnsatisfiedLinkError.class);
		});
	}

	@Test
	void primesAtInitializationOnlyWhenAsked() {
		this.runner.run((context) -> assertThat(context.getBean(Functions.class).answers).isEmpty());
		this.runner.withPropertyValues("skyfold.lambda.priming.on-init=true")
			.run((context) -> assertThat(context.getBean(Functions.class).answers).hasSize(1));
	}

	@Test
	void primesNothingAtInitializationWhenDisabled() {
		this.runner.withPropertyValues("skyfold.lambda.priming.enabled=false", "skyfold.lambda.priming.on-init=true")
			.run((context) -> assertThat(context.getBean(Functions.class).answers).isEmpty());
	}

	@Test
	void makesThePrimerAtStartEvenWhenTheApplicationIsLazy() {
		this.runner
			.withInitializer(
					(context) -> context.addBeanFactoryPostProcessor(new LazyInitializationBeanFactoryPostProcessor()))
			.run((context) -> {
				assertThat(context.getBeanFactory().getBeanDefinition("lambdaPrimer").isLazyInit()).isFalse();
				assertThat(context.getBeanFactory().containsSingleton("lambdaPrimer")).isTrue();
			});
	}

	@Test
	void keepsNoStandInInTheCatalogAfterPriming() {
		this.runner.run((context) -> {
			context.getBean(LambdaPrimer.class).prime();
			FunctionInvocationWrapper standIn = context.getBean(FunctionCatalog.class)
				.lookup(LambdaPrimer.STAND_IN_PREFIX + "greet", "application/json");

			assertThat(standIn).isNotNull();
			assertThatIllegalStateException().isThrownBy(() -> standIn.apply(new Greeting("again")))
				.withMessageContaining("runs only while it is primed");
		});
	}

	@Test
	void countsNothingInTheGlobalRegistry() {
		this.runner.run((context) -> {
			int meters = Metrics.globalRegistry.getMeters().size();
			context.getBean(LambdaPrimer.class).prime();

			assertThat(Metrics.globalRegistry.getMeters()).hasSize(meters);
		});
	}

	record Greeting(String text) {

	}

	@Configuration(proxyBeanMethods = false)
	static class Functions {

		final List<String> answers = new ArrayList<>();

		int realCalls;

		int countPrimings;

		@Bean
		Function<Greeting, Greeting> greet() {
			return (greeting) -> {
				this.realCalls++;
				return greeting;
			};
		}

		@Bean
		Function<String, Integer> count() {
			return String::length;
		}

		@Bean
		FunctionPriming greetPriming() {
			return new FunctionPriming() {

				@Override
				public String function() {
					return "greet";
				}

				@Override
				public void prime(Invoker invoker) {
					Function<Greeting, Greeting> standIn = (greeting) -> new Greeting("Hello, " + greeting.text());
					Functions.this.answers.add(invoker.invoke(standIn, "{\"text\":\"priming\"}".getBytes()));
				}

			};
		}

		@Bean
		FunctionPriming countPriming() {
			return new FunctionPriming() {

				@Override
				public String function() {
					return "count";
				}

				@Override
				public void prime(Invoker invoker) {
					Functions.this.countPrimings++;
					Function<String, Integer> standIn = String::length;
					String answer = invoker.invoke(standIn, "\"four\"".getBytes());
					if (!"4".equals(answer)) {
						throw new IllegalStateException("Counted " + answer);
					}
				}

			};
		}

		@Bean
		@org.springframework.boot.autoconfigure.condition.ConditionalOnProperty("unlinked")
		FunctionPriming unlinkedPriming() {
			return new FunctionPriming() {

				@Override
				public String function() {
					return "unlinked";
				}

				@Override
				public void prime(Invoker invoker) {
					throw new UnsatisfiedLinkError("no native decoder in java.library.path");
				}

			};
		}

		@Bean
		@org.springframework.boot.autoconfigure.condition.ConditionalOnProperty("failing")
		FunctionPriming brokenPriming() {
			return new FunctionPriming() {

				@Override
				public String function() {
					return "broken";
				}

				@Override
				public void prime(Invoker invoker) {
					invoker.invoke((Function<String, String>) (text) -> text, "\"x\"".getBytes());
				}

			};
		}

	}

	/** A checkpoint context as a CRaC runtime has one. */
	static final class Checkpoints extends Context<Resource> {

		private final List<Resource> resources = new ArrayList<>();

		@Override
		public void register(Resource resource) {
			this.resources.add(resource);
		}

		void checkpoint() throws Exception {
			for (Resource resource : this.resources) {
				resource.beforeCheckpoint(this);
			}
			for (Resource resource : this.resources) {
				resource.afterRestore(this);
			}
		}

		@Override
		public void beforeCheckpoint(Context<? extends Resource> context) {
		}

		@Override
		public void afterRestore(Context<? extends Resource> context) {
		}

	}

}
