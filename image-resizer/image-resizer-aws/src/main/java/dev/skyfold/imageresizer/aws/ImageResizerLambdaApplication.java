package dev.skyfold.imageresizer.aws;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.cloud.function.adapter.aws.AWSCompanionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * The application that Spring Cloud Function's {@code FunctionInvoker} starts in the
 * Lambda jar ({@code MAIN_CLASS}, or the jar's {@code Main-Class}): auto-configuration
 * only, no component scanning and no web server. It imports what the invoker adds to the
 * application itself (AWS event types read as AWS writes them), so that the build's
 * Spring AOT processing includes it: with {@code spring.aot.enabled=true} the invoker's
 * own additions are not read.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
@Import(AWSCompanionAutoConfiguration.class)
public class ImageResizerLambdaApplication {

	/**
	 * The Jackson mapper that Spring Cloud Function configures for its JSON conversions.
	 * Without one, it logs a warning with a stack trace at every cold start and builds
	 * the same mapper itself.
	 * @return a mapper with Jackson's defaults
	 */
	@Bean
	JsonMapper objectMapper() {
		return JsonMapper.builder().build();
	}

	/**
	 * Starts the application outside Lambda, which builds its beans and stops: a check of
	 * the configuration.
	 * @param args the command-line arguments
	 */
	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(ImageResizerLambdaApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.run(args).close();
	}

}
