/**
 * The provider-neutral contract of Skyfold's functions: neutral inputs and expected
 * outcomes, the hosts and how each exposes each function, and the driver interfaces a
 * host's tests implement to run the same cases unchanged.
 */
@NullMarked
package dev.skyfold.testsupport.contract;

import org.jspecify.annotations.NullMarked;
