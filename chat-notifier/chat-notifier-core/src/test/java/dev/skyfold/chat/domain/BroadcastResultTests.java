package dev.skyfold.chat.domain;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * What a broadcast result says about retrying.
 */
class BroadcastResultTests {

	@Test
	void isWorthRetryingOnlyWhenABroadcasterFailedTransiently() {
		assertThat(new BroadcastResult("m-1", List.of("fcm"), List.of()).worthRetrying()).isFalse();
		assertThat(new BroadcastResult("m-1", List.of(), List.of("fcm")).worthRetrying()).isFalse();
		assertThat(new BroadcastResult("m-1", List.of(), List.of("fcm", "live"), List.of("fcm")).worthRetrying())
			.isTrue();
	}

	@Test
	void rejectsATransientFailureOfABroadcasterThatDidNotFail() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new BroadcastResult("m-1", List.of("fcm"), List.of(), List.of("fcm")))
			.withMessageContaining("fcm");
	}

}
