/**
 * The architecture rules that every module's {@code ArchitectureTests} inherits:
 * DESIGN.md's dependency rule, package roles and auto-configuration conventions, as
 * ArchUnit tests.
 */
@NullMarked
package dev.skyfold.testsupport.architecture;

import org.jspecify.annotations.NullMarked;
