/**
 * Priming on Lambda: each function's {@link dev.skyfold.kernel.FunctionPriming} run
 * before a SnapStart snapshot, without calling any service, so that the first invocation
 * after a restore is as fast as a warm one.
 */
@NullMarked
package dev.skyfold.aws.lambda.priming;

import org.jspecify.annotations.NullMarked;
