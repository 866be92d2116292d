package dev.skyfold.local;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Runs every Skyfold function on one local web server, with an embedded bucket and a
 * browser UI: {@code POST /fn/{name}} invokes a function, {@code /objects} is the bucket
 * and {@code /} the UI.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class SkyfoldLocalApplication {

	public static void main(String[] args) {
		SpringApplication.run(SkyfoldLocalApplication.class, args);
	}

}
