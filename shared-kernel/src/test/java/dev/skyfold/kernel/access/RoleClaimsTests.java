package dev.skyfold.kernel.access;

import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class RoleClaimsTests {

	private final RoleClaims defaults = new RoleClaims(RoleClaims.DEFAULT_CLAIM);

	@Test
	void grantsTheHighestNamedRoleAndEveryRoleBelowIt() {
		assertThat(this.defaults.roles(Map.of("roles", List.of("member", "offline_access"))))
			.containsExactly(Role.VIEWER, Role.MEMBER);
		assertThat(this.defaults.highestRole(Map.of("roles", List.of("viewer", "ADMIN")))).contains(Role.ADMIN);
	}

	@Test
	void grantsNothingWithoutARoleClaimOrWithUnknownNames() {
		assertThat(this.defaults.roles(Map.of("sub", "ada"))).isEmpty();
		assertThat(this.defaults.roles(Map.of("roles", List.of("owner", "superuser")))).isEmpty();
		assertThat(this.defaults.roles(Map.of("roles", List.of()))).isEmpty();
	}

	@Test
	void readsTheClaimsOfKeycloakEntraAndCognito() {
		assertThat(this.defaults.highestRole(Map.of("realm_access", Map.of("roles", List.of("viewer")))))
			.contains(Role.VIEWER);
		assertThat(this.defaults.highestRole(Map.of("groups", List.of("member")))).contains(Role.MEMBER);
		assertThat(this.defaults.highestRole(Map.of("cognito:groups", List.of("admin")))).contains(Role.ADMIN);
	}

	@Test
	void prefersTheConfiguredClaimToTheProvidersClaims() {
		Map<String, Object> token = Map.of("groups", List.of("admin"), "app_roles", List.of("viewer"));
		assertThat(new RoleClaims("app_roles").highestRole(token)).contains(Role.VIEWER);
		assertThat(this.defaults.highestRole(Map.of("roles", List.of("viewer"), "groups", List.of("admin"))))
			.contains(Role.VIEWER);
	}

	@Test
	void readsADottedClaimAsAPathOrAsAName() {
		assertThat(new RoleClaims("resource_access.skyfold.roles")
			.highestRole(Map.of("resource_access", Map.of("skyfold", Map.of("roles", List.of("member"))))))
			.contains(Role.MEMBER);
		assertThat(new RoleClaims("app.roles").highestRole(Map.of("app.roles", List.of("admin")))).contains(Role.ADMIN);
	}

	@Test
	void readsAStringOfNamesAsApiGatewayPassesListsOn() {
		assertThat(this.defaults.highestRole(Map.of("cognito:groups", "[viewer member]"))).contains(Role.MEMBER);
		assertThat(this.defaults.highestRole(Map.of("roles", "viewer, admin"))).contains(Role.ADMIN);
		assertThat(this.defaults.highestRole(Map.of("roles", "member"))).contains(Role.MEMBER);
		assertThat(this.defaults.highestRole(Map.of("roles", "[]"))).isEmpty();
	}

	@Test
	void refusesARoleClaimOfAnotherType() {
		assertThatExceptionOfType(InvalidRoleClaimException.class)
			.isThrownBy(() -> this.defaults.roles(Map.of("roles", 3)))
			.withMessage("The token's 'roles' claim is a Integer, not a list of role names");
		assertThatExceptionOfType(InvalidRoleClaimException.class)
			.isThrownBy(() -> this.defaults.roles(Map.of("roles", Map.of("admin", true))));
		assertThatExceptionOfType(InvalidRoleClaimException.class)
			.isThrownBy(() -> this.defaults.roles(Map.of("roles", List.of("member", 7))))
			.withMessageContaining("holds a Integer");
	}

	@Test
	void refusesAClaimWithMoreNamesThanAnyCallerNeeds() {
		assertThatExceptionOfType(InvalidRoleClaimException.class)
			.isThrownBy(() -> this.defaults.roles(Map.of("roles", Collections.nCopies(257, "viewer"))));
		assertThatExceptionOfType(InvalidRoleClaimException.class)
			.isThrownBy(() -> this.defaults.roles(Map.of("roles", "viewer ".repeat(300))));
	}

}
