package dev.skyfold.infra.azure;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Shows that the Bicep check finds what it must (so that a clean result on the
 * deployment's files means something) and reads values as the template tests expect, on
 * small files under {@code src/test/resources/bicep/}.
 */
class BicepCheckTests {

	@Test
	void reportsASyntaxErrorWithItsLine() {
		Bicep.Model model = read("syntax-error.bicep");
		assertThat(model.errors()).hasSize(1);
		assertThat(model.errors().get(0).path("line").asInt()).isEqualTo(3);
		assertThat(model.errors().get(0).path("message").asString()).startsWith("syntax error");
	}

	@Test
	void reportsANameThatNothingDeclares() {
		Bicep.Model model = read("undeclared-name.bicep");
		assertThat(model.errors()).isEmpty();
		assertThat(model.undeclared()).hasSize(1);
		assertThat(model.undeclared().get(0).path("name").asString()).isEqualTo("locaton");
		assertThat(model.undeclared().get(0).path("line").asInt()).isEqualTo(5);
	}

	@Test
	void reportsParametersVariablesAndExistingResourcesThatNothingUses() {
		Bicep.Model model = read("unused-declarations.bicep");
		assertThat(model.errors()).isEmpty();
		assertThat(model.undeclared()).isEmpty();
		assertThat(model.unused().valueStream().map((unused) -> unused.path("name").asString()))
			.containsExactly("forgotten", "unusedSetting", "other");
	}

	@Test
	void readsLiteralsAsJsonAndKeepsExpressionsAsTheirSource() {
		Bicep.Model model = read("values.bicep");
		assertThat(model.errors()).isEmpty();
		assertThat(model.undeclared()).isEmpty();
		assertThat(model.unused()).isEmpty();
		JsonNode location = model.param("location");
		assertThat(location.path("type").asString()).isEqualTo("string");
		assertThat(location.path("decorators").path("description").asString()).isEqualTo("Where.");
		assertThat(Bicep.expression(location.path("default"))).isEqualTo("resourceGroup().location");
		assertThat(model.param("secret").path("decorators").path("secure").asBoolean()).isTrue();

		JsonNode account = model.resource("account");
		assertThat(account.path("type").asString()).isEqualTo("Microsoft.Storage/storageAccounts");
		assertThat(account.path("apiVersion").asString()).isEqualTo("2023-05-01");
		assertThat(account.path("condition").asString()).isEqualTo("!empty(secret)");
		JsonNode properties = account.path("body").path("properties");
		assertThat(properties.path("quoted-key").asString()).isEqualTo("it's ${escaped}");
		assertThat(properties.path("allowSharedKeyAccess").isBoolean()).isTrue();
		assertThat(properties.path("allowSharedKeyAccess").asBoolean()).isFalse();
		assertThat(properties.path("count").asInt()).isEqualTo(3);
		assertThat(properties.path("nothing").isNull()).isTrue();
		assertThat(properties.path("list").get(0).asString()).isEqualTo("a");
		assertThat(Bicep.expression(properties.path("list").get(1))).isEqualTo("first(names)");

		assertThat(model.resource("containers").path("loop").asString()).startsWith("[for name in names");
		assertThat(Bicep.expression(model.resource("containers").path("body").path("name")))
			.isEqualTo("'account/default/${name}'");
		assertThat(model.resolve(model.outputs().get("condition").path("value")).asString())
			.isEqualTo("(\n  @Resource[Microsoft.Storage/storageAccounts:name] StringEquals 'it''s'\n)");
		assertThat(model.variablesIn(model.resource("containers").path("body").path("name"))).isEmpty();
		assertThat(model.variablesIn(model.resource("account").path("body").path("properties").path("list").get(1)))
			.isEqualTo(List.of("names"));
	}

	private static Bicep.Model read(String fixture) {
		try {
			return Bicep.read(Path.of(BicepCheckTests.class.getResource("/bicep/" + fixture).toURI()));
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
