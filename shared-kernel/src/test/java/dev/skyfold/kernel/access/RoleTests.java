package dev.skyfold.kernel.access;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RoleTests {

	@Test
	void holdsEveryRoleBelowItself() {
		assertThat(Role.VIEWER.andBelow()).containsExactly(Role.VIEWER);
		assertThat(Role.MEMBER.andBelow()).containsExactly(Role.VIEWER, Role.MEMBER);
		assertThat(Role.ADMIN.andBelow()).containsExactly(Role.VIEWER, Role.MEMBER, Role.ADMIN);
	}

	@Test
	void isNamedInTokensInLowerCaseAndReadInAnyCase() {
		assertThat(Role.MEMBER.id()).isEqualTo("member");
		assertThat(Role.named(" Admin ")).contains(Role.ADMIN);
		assertThat(Role.named("owner")).isEmpty();
		assertThat(Role.ADMIN.includes(Role.VIEWER)).isTrue();
		assertThat(Role.VIEWER.includes(Role.MEMBER)).isFalse();
	}

}
