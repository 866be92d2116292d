package dev.skyfold.chat.gcp;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The application the Google functions' entry points get their functions from: the
 * {@code MAIN_CLASS} environment variable names it, and the adapter's
 * {@code SpringFunctions} starts it. Auto-configuration only, no component scanning and
 * no web server.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class ChatGcpApplication {

	/**
	 * The Jackson mapper that Spring Cloud Function looks for; without one it logs a
	 * warning at every cold start and builds the same mapper itself.
	 * @return a mapper with Jackson's defaults
	 */
	@Bean
	JsonMapper objectMapper() {
		return JsonMapper.builder().build();
	}

	/**
	 * Starts the application outside Google Cloud, which builds its beans and stops: a
	 * check of the configuration.
	 * @param args the command-line arguments
	 */
	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(ChatGcpApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.run(args).close();
	}

}
