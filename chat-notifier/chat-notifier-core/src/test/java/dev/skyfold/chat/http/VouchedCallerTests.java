package dev.skyfold.chat.http;

import java.util.List;
import java.util.Map;

import dev.skyfold.chat.domain.ChatOperation;
import dev.skyfold.kernel.access.AccessRefusedException;
import dev.skyfold.kernel.access.Role;
import dev.skyfold.kernel.access.RoleClaims;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

class VouchedCallerTests {

	private final RoleClaims roles = new RoleClaims(RoleClaims.DEFAULT_CLAIM);

	@Test
	void namesTheAuthorAndTheHighestRoleFromTheClaims() {
		VouchedCaller caller = VouchedCaller
			.of(Map.of("sub", "s-1", "preferred_username", "ada", "cognito:groups", "[viewer member]"), this.roles);
		assertThat(caller).isEqualTo(new VouchedCaller("ada", Role.MEMBER));
		assertThat(VouchedCaller.of(Map.of("name", List.of("Ada", "A."), "roles", List.of("admin")), this.roles))
			.isEqualTo(new VouchedCaller("Ada", Role.ADMIN));
	}

	@Test
	void letsACallerDoWhatItsRoleAllowsAndRefusesTheRestWithA403() {
		VouchedCaller member = new VouchedCaller("ada", Role.MEMBER);
		assertThatNoException().isThrownBy(() -> member.check(ChatOperation.POST_MESSAGE));
		assertThatExceptionOfType(AccessRefusedException.class)
			.isThrownBy(() -> member.check(ChatOperation.BROADCAST_MESSAGE))
			.satisfies((refused) -> assertThat(refused.httpStatus()).isEqualTo(403));
		assertThatExceptionOfType(AccessRefusedException.class)
			.isThrownBy(() -> new VouchedCaller("bob", null).check(ChatOperation.READ_HISTORY));
	}

	@Test
	void refusesARoleClaimOfAnotherTypeWithA401() {
		assertThatExceptionOfType(AccessRefusedException.class)
			.isThrownBy(() -> VouchedCaller.of(Map.of("sub", "s-1", "roles", Map.of("admin", true)), this.roles))
			.satisfies((refused) -> assertThat(refused.httpStatus()).isEqualTo(401));
	}

	@Test
	void answersARefusalWithItsStatusAsAProblem() {
		HttpReply reply = HttpJson.failure(AccessRefusedException.forbidden(ChatOperation.POST_MESSAGE, Role.VIEWER),
				"postMessage", null);
		assertThat(reply.status()).isEqualTo(403);
		assertThat(reply.contentType()).isEqualTo(HttpJson.PROBLEM_JSON);
		assertThat(reply.body()).contains("\"title\":\"Forbidden\"")
			.contains("Posting a message needs the role 'member'; your highest role is 'viewer'");
	}

}
