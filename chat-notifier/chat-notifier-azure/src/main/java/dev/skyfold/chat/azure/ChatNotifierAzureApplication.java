package dev.skyfold.chat.azure;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/**
 * The application that the function instance injector starts in the Azure Functions app
 * ({@code MAIN_CLASS}): auto-configuration only, no component scanning and no web server.
 * The Azure functions ({@code postMessage}, {@code messageHistory}) are created from its
 * context.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class ChatNotifierAzureApplication {

	/**
	 * Starts the application outside Azure, which builds its beans and stops: a check of
	 * the configuration.
	 * @param args the command-line arguments
	 */
	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(ChatNotifierAzureApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.run(args).close();
	}

}
