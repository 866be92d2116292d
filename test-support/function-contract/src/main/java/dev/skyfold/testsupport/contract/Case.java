package dev.skyfold.testsupport.contract;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.function.Executable;

/**
 * One case of the contract: a name that says the behaviour and the check. Cases a host's
 * trigger cannot express are left out when the tests are built, so the contract never
 * skips: {@link Host} says in one place why.
 *
 * @param name the behaviour, as a sentence
 * @param check the check
 */
record Case(String name, Executable check) {

	/** Collects a function's cases, in order, for one host. */
	static final class Cases {

		private final List<Case> cases = new ArrayList<>();

		Cases add(String name, Executable check) {
			this.cases.add(new Case(name, check));
			return this;
		}

		Cases addIf(boolean applies, String name, Executable check) {
			return applies ? add(name, check) : this;
		}

		DynamicNode named(SkyfoldFunction function, Trigger trigger) {
			return DynamicContainer.dynamicContainer(function.functionName() + " (" + trigger + ")",
					this.cases.stream().map((c) -> DynamicTest.dynamicTest(c.name(), c.check())));
		}

	}

}
