/**
 * How the local app answers errors: RFC 9457 problem details, never a stack trace.
 */
@NullMarked
package dev.skyfold.local.web;

import org.jspecify.annotations.NullMarked;
