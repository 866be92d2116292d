package dev.skyfold.gcp.functions.sample;

import java.io.BufferedWriter;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import com.google.cloud.functions.HttpFunction;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A tiny application for the adapter's tests: one function bean, the HTTP handler of a
 * function named {@code upperCase}, and a count of how often it was started.
 */
@Configuration(proxyBeanMethods = false)
public class SampleApplication {

	/** How many times the application was started. */
	public static final AtomicInteger starts = new AtomicInteger();

	public SampleApplication() {
		starts.incrementAndGet();
	}

	@Bean
	Function<String, String> upperCase() {
		return (text) -> text.toUpperCase(Locale.ROOT);
	}

	@Bean
	HttpFunction upperCaseHandler(Function<String, String> upperCase) {
		return (request, response) -> {
			BufferedWriter writer = response.getWriter();
			writer.write(upperCase.apply(request.getReader().readLine()));
			writer.flush();
		};
	}

	@Bean
	String notAHandler() {
		return "a bean of another type";
	}

}
