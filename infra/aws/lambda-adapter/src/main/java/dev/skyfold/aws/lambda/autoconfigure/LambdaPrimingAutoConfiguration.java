package dev.skyfold.aws.lambda.autoconfigure;

import dev.skyfold.aws.lambda.priming.LambdaPrimer;
import dev.skyfold.kernel.FunctionPriming;
import org.crac.Core;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.cloud.function.context.config.ContextFunctionCatalogAutoConfiguration;
import org.springframework.cloud.function.json.JsonMapper;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Lazy;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.core.env.Environment;

/**
 * Primes the Lambda function before a SnapStart snapshot: registers a
 * {@link LambdaPrimer} over every {@link FunctionPriming} bean as a CRaC resource, and,
 * when {@code skyfold.lambda.priming.on-init} is true, runs it once the application
 * context is refreshed too, for a runtime without snapshots. Both settings are read when
 * the application starts, not when it is built, so they hold under Spring AOT too. The
 * primer is made at start even when the application initializes its beans lazily: it must
 * be registered before any snapshot.
 */
@AutoConfiguration(after = ContextFunctionCatalogAutoConfiguration.class)
@ConditionalOnBean({ FunctionCatalog.class, JsonMapper.class })
@EnableConfigurationProperties(LambdaPrimingProperties.class)
public final class LambdaPrimingAutoConfiguration {

	@Bean
	@Lazy(false)
	LambdaPrimer lambdaPrimer(ObjectProvider<FunctionPriming> primings, FunctionCatalog catalog, JsonMapper jsonMapper,
			Environment environment, LambdaPrimingProperties properties) {
		LambdaPrimer primer = new LambdaPrimer(primings.orderedStream().toList(), catalog, jsonMapper,
				environment.getProperty("spring.cloud.function.definition"));
		if (properties.isEnabled()) {
			primer.registerWith(Core.getGlobalContext());
		}
		return primer;
	}

	@Bean
	ApplicationListener<ContextRefreshedEvent> primeOnInit(LambdaPrimer primer, LambdaPrimingProperties properties) {
		return (event) -> {
			if (properties.isEnabled() && properties.isOnInit()) {
				primer.prime();
			}
		};
	}

}
