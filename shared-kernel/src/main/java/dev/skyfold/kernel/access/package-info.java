/**
 * Who may do what: the roles a caller's token grants and the role each operation needs,
 * the same on every host.
 */
@NullMarked
package dev.skyfold.kernel.access;

import org.jspecify.annotations.NullMarked;
