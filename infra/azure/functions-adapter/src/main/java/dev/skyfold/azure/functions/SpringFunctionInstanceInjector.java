package dev.skyfold.azure.functions;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import com.microsoft.azure.functions.spi.inject.FunctionInstanceInjector;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.DefaultResourceLoader;

/**
 * Gives the Azure Functions Java worker its handler instances from a Spring Boot
 * application, so that handler classes receive the {@code Function} beans through their
 * constructors. The worker finds this class through
 * {@code META-INF/services/com.microsoft.azure.functions.spi.inject.FunctionInstanceInjector}.
 * <p>
 * The application is the class named by the {@value #MAIN_CLASS} application setting (an
 * environment variable, or a system property of the same name), as with Spring Cloud
 * Function on AWS Lambda. It starts on the first request for a handler, without a web
 * server, once per class loader, and runs until the JVM stops. A handler class that is a
 * bean is returned as such; any other is created once, with its dependencies autowired,
 * and reused for every invocation.
 * <p>
 * The worker sends what {@code java.util.logging} logs to the host, so Spring Boot is
 * told to leave logging alone ({@value #LOGGING_SYSTEM}{@code =none}, unless that system
 * property is set already): route SLF4J to {@code java.util.logging} (with
 * {@code slf4j-jdk14}) to see the application's logs in the host's.
 */
public class SpringFunctionInstanceInjector implements FunctionInstanceInjector {

	/** The setting that names the Spring Boot application class. */
	public static final String MAIN_CLASS = "MAIN_CLASS";

	/** The system property that chooses Spring Boot's logging system. */
	public static final String LOGGING_SYSTEM = "org.springframework.boot.logging.LoggingSystem";

	private static final Object lock = new Object();

	private static volatile @Nullable ConfigurableApplicationContext application;

	private static final Map<Class<?>, Object> handlers = new ConcurrentHashMap<>();

	private final Function<String, @Nullable String> settings;

	/**
	 * Creates the injector that the worker uses, which reads {@value #MAIN_CLASS} from
	 * the system properties, then from the environment.
	 */
	public SpringFunctionInstanceInjector() {
		this(SpringFunctionInstanceInjector::setting);
	}

	SpringFunctionInstanceInjector(Function<String, @Nullable String> settings) {
		this.settings = settings;
	}

	/**
	 * Returns the instance of a handler class that the worker invokes, starting the
	 * application first if need be.
	 * @param <T> the handler type
	 * @param handlerClass the class that declares {@code @FunctionName} methods
	 * @return the bean of that class, or an instance created with its dependencies
	 * autowired
	 * @throws IllegalStateException when {@value #MAIN_CLASS} is not set or names no
	 * loadable class, or the application does not start
	 */
	@Override
	public <T> T getInstance(Class<T> handlerClass) {
		ConfigurableApplicationContext context = application(handlerClass.getClassLoader());
		return handlerClass.cast(handlers.computeIfAbsent(handlerClass, (type) -> create(context, type)));
	}

	/**
	 * The running application, if it was started.
	 * @return the application context, or {@code null}
	 */
	public static @Nullable ConfigurableApplicationContext application() {
		return application;
	}

	/**
	 * Stops the application and forgets the handlers, so that the next request starts it
	 * again; for tests and embedding.
	 */
	public static void close() {
		synchronized (lock) {
			ConfigurableApplicationContext running = application;
			application = null;
			handlers.clear();
			if (running != null) {
				running.close();
			}
		}
	}

	private ConfigurableApplicationContext application(@Nullable ClassLoader handlerLoader) {
		ConfigurableApplicationContext context = application;
		if (context == null) {
			synchronized (lock) {
				context = application;
				if (context == null) {
					context = start(mainClass(handlerLoader));
					application = context;
				}
			}
		}
		return context;
	}

	private Class<?> mainClass(@Nullable ClassLoader handlerLoader) {
		String name = this.settings.apply(MAIN_CLASS);
		if (name == null || name.isBlank()) {
			throw new IllegalStateException("The application setting " + MAIN_CLASS
					+ " is not set: set it to the Spring Boot application class of this function app");
		}
		ClassLoader loader = (handlerLoader != null) ? handlerLoader
				: SpringFunctionInstanceInjector.class.getClassLoader();
		try {
			return Class.forName(name.strip(), false, loader);
		}
		catch (ClassNotFoundException | LinkageError ex) {
			throw new IllegalStateException(
					"The application setting " + MAIN_CLASS + " names " + name.strip() + ", which cannot be loaded",
					ex);
		}
	}

	private static ConfigurableApplicationContext start(Class<?> mainClass) {
		if (System.getProperty(LOGGING_SYSTEM) == null) {
			System.setProperty(LOGGING_SYSTEM, "none");
		}
		// The worker's thread may carry another class loader than the app's: Spring must
		// find its factories and resources with the app's, when it is created as well as
		// when it runs.
		ClassLoader loader = mainClass.getClassLoader();
		Thread thread = Thread.currentThread();
		ClassLoader previous = thread.getContextClassLoader();
		thread.setContextClassLoader(loader);
		try {
			SpringApplication spring = new SpringApplication(new DefaultResourceLoader(loader), mainClass);
			spring.setWebApplicationType(WebApplicationType.NONE);
			spring.setBannerMode(Banner.Mode.OFF);
			spring.setMainApplicationClass(mainClass);
			return spring.run();
		}
		finally {
			thread.setContextClassLoader(previous);
		}
	}

	private static Object create(ConfigurableApplicationContext context, Class<?> handlerClass) {
		ObjectProvider<?> beans = context.getBeanProvider(handlerClass);
		Object bean = beans.getIfUnique();
		return (bean != null) ? bean : context.getAutowireCapableBeanFactory().createBean(handlerClass);
	}

	private static @Nullable String setting(String name) {
		String property = System.getProperty(name);
		return (property != null) ? property : System.getenv(name);
	}

}
