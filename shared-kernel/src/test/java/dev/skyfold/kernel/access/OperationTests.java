package dev.skyfold.kernel.access;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

class OperationTests {

	private final Operation posting = new Operation() {

		@Override
		public Role requiredRole() {
			return Role.MEMBER;
		}

		@Override
		public String description() {
			return "Posting a message";
		}

	};

	@Test
	void letsTheRoleItNeedsAndEveryHigherRoleThrough() {
		assertThatNoException().isThrownBy(() -> this.posting.check(Role.MEMBER));
		assertThatNoException().isThrownBy(() -> this.posting.check(Role.ADMIN));
	}

	@Test
	void refusesALowerRoleOrNoneWithA403NamingTheRoleNeeded() {
		assertThatExceptionOfType(AccessRefusedException.class).isThrownBy(() -> this.posting.check(Role.VIEWER))
			.withMessage("Posting a message needs the role 'member'; your highest role is 'viewer'")
			.matches((refused) -> refused.httpStatus() == 403 && refused.title().equals("Forbidden"));
		assertThatExceptionOfType(AccessRefusedException.class).isThrownBy(() -> this.posting.check(null))
			.withMessageEndingWith("you have no role");
	}

}
