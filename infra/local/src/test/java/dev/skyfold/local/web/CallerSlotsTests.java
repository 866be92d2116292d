package dev.skyfold.local.web;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CallerSlotsTests {

	@Test
	void givesEachCallerUpToTheCapAndTakesReleasedSlotsBack() {
		CallerSlots slots = new CallerSlots(2);

		assertThat(slots.tryTake("ada")).isTrue();
		assertThat(slots.tryTake("ada")).isTrue();
		assertThat(slots.tryTake("ada")).as("over the cap").isFalse();
		assertThat(slots.tryTake("bob")).as("another caller").isTrue();

		slots.release("ada");
		assertThat(slots.tryTake("ada")).isTrue();
		assertThat(slots.tryTake("ada")).isFalse();
	}

	@Test
	void forgetsACallerThatHoldsNothing() {
		CallerSlots slots = new CallerSlots(1);
		slots.release("nobody");
		assertThat(slots.tryTake("nobody")).isTrue();
		slots.release("nobody");
		slots.release("nobody");
		assertThat(slots.tryTake("nobody")).isTrue();
		assertThat(slots.tryTake("nobody")).isFalse();
	}

}
