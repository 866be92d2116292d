package dev.skyfold.azure.functions;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import com.microsoft.azure.functions.spi.inject.FunctionInstanceInjector;
import dev.skyfold.azure.functions.sample.BeanHandler;
import dev.skyfold.azure.functions.sample.SampleApplication;
import dev.skyfold.azure.functions.sample.UpperCaseHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class SpringFunctionInstanceInjectorTests {

	private static final String SAMPLE = SampleApplication.class.getName();

	@BeforeEach
	@AfterEach
	void stopTheApplication() {
		SpringFunctionInstanceInjector.close();
		System.clearProperty(SpringFunctionInstanceInjector.MAIN_CLASS);
		SampleApplication.starts.set(0);
	}

	@Test
	void createsHandlersWithTheFunctionBeansOfTheApplication() {
		UpperCaseHandler handler = injector(SAMPLE).getInstance(UpperCaseHandler.class);
		assertThat(handler.handle("azure")).isEqualTo("AZURE");
	}

	@Test
	void returnsTheBeanWhenTheHandlerClassIsABean() {
		assertThat(injector(SAMPLE).getInstance(BeanHandler.class).origin()).isEqualTo("from the context");
	}

	@Test
	void startsOneApplicationForEveryHandlerAndInjector() {
		UpperCaseHandler first = injector(SAMPLE).getInstance(UpperCaseHandler.class);
		ConfigurableApplicationContext application = SpringFunctionInstanceInjector.application();
		UpperCaseHandler again = injector(SAMPLE).getInstance(UpperCaseHandler.class);
		injector(SAMPLE).getInstance(BeanHandler.class);
		assertThat(again).isSameAs(first);
		assertThat(SpringFunctionInstanceInjector.application()).isSameAs(application);
		assertThat(SampleApplication.starts).hasValue(1);
	}

	@Test
	void startsTheApplicationOnceWhenTheFirstInvocationsComeTogether() throws Exception {
		SpringFunctionInstanceInjector injector = injector(SAMPLE);
		CountDownLatch ready = new CountDownLatch(1);
		ExecutorService threads = Executors.newFixedThreadPool(8);
		try {
			List<Callable<UpperCaseHandler>> calls = IntStream.range(0, 8)
				.<Callable<UpperCaseHandler>>mapToObj((i) -> () -> {
					ready.await();
					return injector.getInstance(UpperCaseHandler.class);
				})
				.toList();
			List<Future<UpperCaseHandler>> results = calls.stream().map(threads::submit).toList();
			ready.countDown();
			UpperCaseHandler first = results.get(0).get(30, TimeUnit.SECONDS);
			for (Future<UpperCaseHandler> result : results) {
				assertThat(result.get(30, TimeUnit.SECONDS)).isSameAs(first);
			}
		}
		finally {
			threads.shutdownNow();
		}
		assertThat(SampleApplication.starts).hasValue(1);
	}

	@Test
	void startsWithTheClassLoaderOfTheApplicationWhateverTheThreadCarries() throws Exception {
		Thread thread = Thread.currentThread();
		ClassLoader previous = thread.getContextClassLoader();
		try (URLClassLoader foreign = new URLClassLoader(new URL[0], ClassLoader.getPlatformClassLoader())) {
			thread.setContextClassLoader(foreign);
			assertThat(injector(SAMPLE).getInstance(UpperCaseHandler.class).handle("loader")).isEqualTo("LOADER");
			assertThat(SpringFunctionInstanceInjector.application().getEnvironment().getProperty("sample.greeting"))
				.isEqualTo("read from application.properties");
			assertThat(thread.getContextClassLoader()).isSameAs(foreign);
		}
		finally {
			thread.setContextClassLoader(previous);
		}
	}

	@Test
	void startsWithoutAWebServer() {
		injector(SAMPLE).getInstance(BeanHandler.class);
		assertThat(SpringFunctionInstanceInjector.application())
			.isExactlyInstanceOf(AnnotationConfigApplicationContext.class);
	}

	@Test
	void leavesLoggingToTheWorkerUnlessToldOtherwise() {
		String before = System.getProperty(SpringFunctionInstanceInjector.LOGGING_SYSTEM);
		try {
			System.clearProperty(SpringFunctionInstanceInjector.LOGGING_SYSTEM);
			injector(SAMPLE).getInstance(BeanHandler.class);
			assertThat(System.getProperty(SpringFunctionInstanceInjector.LOGGING_SYSTEM)).isEqualTo("none");
			SpringFunctionInstanceInjector.close();
			System.setProperty(SpringFunctionInstanceInjector.LOGGING_SYSTEM,
					"org.springframework.boot.logging.java.JavaLoggingSystem");
			injector(SAMPLE).getInstance(BeanHandler.class);
			assertThat(System.getProperty(SpringFunctionInstanceInjector.LOGGING_SYSTEM))
				.isEqualTo("org.springframework.boot.logging.java.JavaLoggingSystem");
		}
		finally {
			if (before != null) {
				System.setProperty(SpringFunctionInstanceInjector.LOGGING_SYSTEM, before);
			}
			else {
				System.clearProperty(SpringFunctionInstanceInjector.LOGGING_SYSTEM);
			}
		}
	}

	@Test
	void readsTheMainClassFromASystemPropertyOrTheEnvironment() {
		System.setProperty(SpringFunctionInstanceInjector.MAIN_CLASS, SAMPLE);
		assertThat(new SpringFunctionInstanceInjector().getInstance(UpperCaseHandler.class).handle("x")).isEqualTo("X");
	}

	@Test
	void saysToSetTheMainClassWhenItIsMissing() {
		assertThatIllegalStateException().isThrownBy(() -> injector(" ").getInstance(UpperCaseHandler.class))
			.withMessage("The application setting MAIN_CLASS is not set:"
					+ " set it to the Spring Boot application class of this function app");
		assertThat(SpringFunctionInstanceInjector.application()).isNull();
	}

	@Test
	void namesTheMainClassThatCannotBeLoadedAndStartsOnceItIsFixed() {
		assertThatIllegalStateException()
			.isThrownBy(() -> injector("com.example.Missing").getInstance(UpperCaseHandler.class))
			.withMessage("The application setting MAIN_CLASS names com.example.Missing, which cannot be loaded")
			.withCauseInstanceOf(ClassNotFoundException.class);
		assertThat(injector(SAMPLE).getInstance(UpperCaseHandler.class).handle("later")).isEqualTo("LATER");
	}

	@Test
	void isTheInjectorThatTheWorkerFindsWithAServiceLoader() {
		assertThat(ServiceLoader.load(FunctionInstanceInjector.class).stream().map(ServiceLoader.Provider::type))
			.containsExactly(SpringFunctionInstanceInjector.class);
	}

	private static SpringFunctionInstanceInjector injector(String mainClass) {
		return new SpringFunctionInstanceInjector(
				(name) -> SpringFunctionInstanceInjector.MAIN_CLASS.equals(name) ? mainClass : null);
	}

}
