/**
 * What the Azure Functions tests share: the invocation context the Java worker hands to a
 * function.
 */
@NullMarked
package dev.skyfold.testsupport.azure;

import org.jspecify.annotations.NullMarked;
