package dev.skyfold.chat.aws;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/**
 * The application that Spring Cloud Function's {@code FunctionInvoker} starts in the
 * Lambda jar ({@code MAIN_CLASS}, or the jar's {@code Main-Class}): auto-configuration
 * only, no component scanning and no web server. Which function a Lambda function runs is
 * {@code SPRING_CLOUD_FUNCTION_DEFINITION}.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
public class ChatNotifierLambdaApplication {

	/**
	 * Starts the application outside Lambda, which builds its beans and stops: a check of
	 * the configuration.
	 * @param args the command-line arguments
	 */
	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(ChatNotifierLambdaApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.run(args).close();
	}

}
