package dev.skyfold.local.security;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import dev.skyfold.chat.domain.ChatOperation;
import dev.skyfold.imageresizer.domain.ImageOperation;
import dev.skyfold.kernel.access.AccessRefusedException;
import dev.skyfold.kernel.access.Operation;
import dev.skyfold.kernel.access.Role;
import dev.skyfold.local.web.FunctionPaths;
import org.jspecify.annotations.Nullable;

import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

/**
 * Applies the cores' access rule to a request: the caller must be signed in and hold the
 * role its operation needs. A refusal carries the rule's reason, which the problem answer
 * shows.
 */
final class OperationAccess implements AuthorizationManager<RequestAuthorizationContext> {

	private static final AuthenticationTrustResolver TRUST = new AuthenticationTrustResolverImpl();

	/** Stands for a path under the functions' one that names no function plainly. */
	private static final Operation UNREADABLE = new Operation() {

		@Override
		public Role requiredRole() {
			return Role.ADMIN;
		}

		@Override
		public String description() {
			return "An unreadable function path";
		}

	};

	private final @Nullable Operation fixed;

	private final @Nullable String functionsPrefix;

	private OperationAccess(@Nullable Operation fixed, @Nullable String functionsPrefix) {
		this.fixed = fixed;
		this.functionsPrefix = functionsPrefix;
	}

	/**
	 * Requests that all are one operation.
	 * @param operation the operation
	 * @return the check
	 */
	static OperationAccess of(Operation operation) {
		return new OperationAccess(operation, null);
	}

	/**
	 * Requests that invoke the functions named in the path after a prefix, such as
	 * {@code /fn/postMessage}: a composition ({@code a|b}) needs the highest role of its
	 * functions; a name that is no function needs only a signed-in caller, who then
	 * learns that there is no such function.
	 * @param prefix the functions' path, such as {@code /fn/}
	 * @return the check
	 */
	static OperationAccess functions(String prefix) {
		return new OperationAccess(null, prefix);
	}

	@Override
	public AuthorizationResult authorize(Supplier<? extends @Nullable Authentication> authentication,
			RequestAuthorizationContext context) {
		Authentication caller = authentication.get();
		if (caller == null || !TRUST.isAuthenticated(caller)) {
			return new AuthorizationDecision(false);
		}
		Operation operation = (this.fixed != null) ? this.fixed : functionOperation(context);
		if (operation == null) {
			return new AuthorizationDecision(true);
		}
		if (operation == UNREADABLE) {
			return new Refusal("The function's path must be " + this.functionsPrefix + "{name}");
		}
		try {
			operation.check(Caller.of(caller).role());
			return new AuthorizationDecision(true);
		}
		catch (AccessRefusedException ex) {
			return new Refusal(ex.getMessage());
		}
	}

	private @Nullable Operation functionOperation(RequestAuthorizationContext context) {
		List<String> names = (this.functionsPrefix != null)
				? FunctionPaths.names(context.getRequest(), this.functionsPrefix) : null;
		if (names == null) {
			// Matched as a function's path, yet not one as written: refused, not guessed.
			return UNREADABLE;
		}
		return names.stream()
			.map(OperationAccess::operationOf)
			.flatMap(Optional::stream)
			.max(Comparator.comparing(Operation::requiredRole))
			.orElse(null);
	}

	private static Optional<Operation> operationOf(String function) {
		return ImageOperation.ofFunction(function)
			.<Operation>map((operation) -> operation)
			.or(() -> ChatOperation.ofFunction(function));
	}

	/**
	 * A refusal of a signed-in caller, with the rule's reason.
	 */
	static final class Refusal extends AuthorizationDecision {

		private final String reason;

		Refusal(String reason) {
			super(false);
			this.reason = reason;
		}

		String reason() {
			return this.reason;
		}

	}

}
