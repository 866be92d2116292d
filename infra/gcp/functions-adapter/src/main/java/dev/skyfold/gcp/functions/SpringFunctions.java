package dev.skyfold.gcp.functions;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.DefaultResourceLoader;

/**
 * The Spring Boot application behind a Google Cloud function's entry point, and the
 * handler bean the entry point hands its requests or events to. The Functions Framework
 * creates the entry point ({@link HttpEntryPoint} or {@link CloudEventsEntryPoint}) with
 * its no-argument constructor; the entry point asks this for its handler, as Spring Cloud
 * Function's invoker does on Lambda.
 * <p>
 * The application is the class named by {@value #MAIN_CLASS}; the function is the one
 * {@value #DEFINITION} names, and its handler is the bean named after it with
 * {@value #HANDLER_SUFFIX} ({@code resizeImage}: {@code resizeImageHandler}), of the
 * entry point's type. Both settings are environment variables, or system properties of
 * the same names. The application starts on the first request for a handler, without a
 * web server (the invoker serves HTTP), once per class loader, and runs until the
 * instance stops.
 */
public final class SpringFunctions {

	/** The setting that names the Spring Boot application class. */
	public static final String MAIN_CLASS = "MAIN_CLASS";

	/** The setting that names the function, as on Lambda. */
	public static final String DEFINITION = "SPRING_CLOUD_FUNCTION_DEFINITION";

	/** What a function's name is followed by in its handler bean's name. */
	public static final String HANDLER_SUFFIX = "Handler";

	private static final Object lock = new Object();

	private static volatile @Nullable ConfigurableApplicationContext application;

	private static final Map<String, Object> handlers = new ConcurrentHashMap<>();

	private SpringFunctions() {
	}

	/**
	 * The handler an entry point hands its requests or events to, starting the
	 * application first if need be.
	 * @param <T> the entry point's type
	 * @param type the entry point's type: the Functions Framework interface it implements
	 * @return the handler
	 * @throws IllegalStateException when a setting is missing, names no loadable class,
	 * or the application has no such handler or does not start
	 */
	public static <T> T handler(Class<T> type) {
		return handler(type, SpringFunctions::setting);
	}

	static <T> T handler(Class<T> type, Function<String, @Nullable String> settings) {
		String function = settings.apply(DEFINITION);
		if (function == null || function.isBlank()) {
			throw new IllegalStateException("The environment variable " + DEFINITION
					+ " is not set: set it to the name of the function this entry point runs");
		}
		// The entry point's type is the invoker's; the application is in the function's
		// own
		// class loader, with this class.
		ConfigurableApplicationContext context = application(SpringFunctions.class.getClassLoader(), settings);
		String name = function.strip() + HANDLER_SUFFIX;
		return type.cast(handlers.computeIfAbsent(name, (key) -> find(context, key, type)));
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

	private static ConfigurableApplicationContext application(@Nullable ClassLoader loader,
			Function<String, @Nullable String> settings) {
		ConfigurableApplicationContext context = application;
		if (context == null) {
			synchronized (lock) {
				context = application;
				if (context == null) {
					context = start(mainClass(loader, settings));
					application = context;
				}
			}
		}
		return context;
	}

	private static Class<?> mainClass(@Nullable ClassLoader loader, Function<String, @Nullable String> settings) {
		String name = settings.apply(MAIN_CLASS);
		if (name == null || name.isBlank()) {
			throw new IllegalStateException("The environment variable " + MAIN_CLASS
					+ " is not set: set it to the Spring Boot application class of this function");
		}
		try {
			return Class.forName(name.strip(), false,
					(loader != null) ? loader : SpringFunctions.class.getClassLoader());
		}
		catch (ClassNotFoundException | LinkageError ex) {
			throw new IllegalStateException(MAIN_CLASS + " names " + name.strip() + ", which cannot be loaded", ex);
		}
	}

	private static ConfigurableApplicationContext start(Class<?> mainClass) {
		// The invoker loads the function in a class loader of its own: Spring must find
		// its
		// factories and resources with that one, not with the thread's.
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

	private static Object find(ConfigurableApplicationContext context, String name, Class<?> type) {
		if (!context.containsBean(name) || !context.isTypeMatch(name, type)) {
			throw new IllegalStateException("The application has no " + type.getSimpleName() + " bean named " + name
					+ " for the function " + DEFINITION + " names");
		}
		return context.getBean(name, type);
	}

	private static @Nullable String setting(String name) {
		String property = System.getProperty(name);
		return (property != null) ? property : System.getenv(name);
	}

}
