package dev.skyfold.local.web;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many of something each caller holds at once, such as open streams or uploads under
 * way, with a cap per caller: so that one client cannot take every connection or request
 * thread from the others.
 */
public final class CallerSlots {

	private final Map<String, Integer> held = new ConcurrentHashMap<>();

	private final int cap;

	/**
	 * Slots for callers.
	 * @param cap how many one caller may hold at once
	 */
	public CallerSlots(int cap) {
		this.cap = cap;
	}

	/**
	 * Takes a slot for a caller, if it has one left.
	 * @param caller who asks
	 * @return whether it got one; release it when done
	 */
	public boolean tryTake(String caller) {
		if (this.held.merge(caller, 1, Integer::sum) <= this.cap) {
			return true;
		}
		release(caller);
		return false;
	}

	/**
	 * Gives a slot back.
	 * @param caller who took it
	 */
	public void release(String caller) {
		this.held.computeIfPresent(caller, (key, slots) -> (slots > 1) ? slots - 1 : null);
	}

	/**
	 * How many one caller may hold at once.
	 * @return the cap
	 */
	public int cap() {
		return this.cap;
	}

}
