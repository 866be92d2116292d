package dev.skyfold.chat.azure.autoconfigure;

import dev.skyfold.chat.fcm.FcmAutoConfiguration;
import dev.skyfold.chat.fcm.FcmCredentials;
import dev.skyfold.chat.fcm.FcmProperties;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Gives the FCM broadcaster its service-account key from an application setting, since a
 * Function App has no key file: {@code skyfold.chat.azure.fcm-credentials} holds the key
 * itself, typically as a Key Vault reference ({@code @Microsoft.KeyVault(SecretUri=...)})
 * that the platform resolves. Runs before the FCM auto-configuration, whose key file and
 * Application Default Credentials then stand back.
 */
@AutoConfiguration(before = FcmAutoConfiguration.class)
@ConditionalOnClass(FcmCredentials.class)
@ConditionalOnBooleanProperty("skyfold.chat.fcm.enabled")
@ConditionalOnProperty("skyfold.chat.azure.fcm-credentials")
@EnableConfigurationProperties({ ChatAzureProperties.class, FcmProperties.class })
public final class ChatAzureFcmAutoConfiguration {

	private static final String PROPERTY = "skyfold.chat.azure.fcm-credentials";

	@Bean
	@ConditionalOnMissingBean
	FcmCredentials fcmCredentials(ChatAzureProperties properties, FcmProperties fcm) {
		String key = FcmCredentials.platformSetting(properties.getFcmCredentials(), PROPERTY,
				"must hold the Firebase service-account key (JSON)", fcm.getCredentials(),
				"the application setting on Azure");
		if (key.startsWith("@Microsoft.KeyVault(")) {
			throw new IllegalStateException(PROPERTY + " is an unresolved Key Vault reference: give the Function "
					+ "App's identity the 'Key Vault Secrets User' role on the vault");
		}
		return FcmCredentials.serviceAccountKey(key, "application setting " + PROPERTY);
	}

}
